// DescribeVolumes: the block volumes that claims of EBS classes got (kind Volume, written by the
// volume controller), by id (each must exist) and filters; `in-use` with its attachment while a
// node has it, `available` otherwise.

import { volumeKind, type VolumeObject } from "../../domain/blockvolumes/mod.js";
import { type CallContext, type Ec2Context, ec2Error } from "./_context.js";
import { applyFilters, type Filter } from "./_filters.js";

export interface DescribeVolumesInput {
  VolumeIds?: string[];
  Filters?: Filter[];
  MaxResults?: number;
  NextToken?: string;
}

function field(volume: VolumeObject, name: string): string | readonly string[] | undefined {
  const { spec, status } = volume;
  const fields: Record<string, string | readonly string[]> = {
    "volume-id": volume.metadata.name,
    "availability-zone": spec.availabilityZone,
    "size": String(spec.sizeGiB),
    "status": status.state,
    "volume-type": spec.volumeType,
    "encrypted": "false",
    "multi-attach-enabled": "false",
    "attachment.instance-id": status.attachments.map((attachment) => attachment.instanceId),
    "attachment.status": status.attachments.map(() => "attached"),
    "attachment.device": status.attachments.map((attachment) => attachment.device),
  };
  return fields[name];
}

function volumeOutput(volume: VolumeObject) {
  const { spec, status } = volume;
  return {
    VolumeId: volume.metadata.name,
    Size: spec.sizeGiB,
    AvailabilityZone: spec.availabilityZone,
    State: status.state,
    CreateTime: new Date(spec.createTime),
    VolumeType: spec.volumeType,
    Iops: spec.volumeType === "gp3" ? 3000 : spec.volumeType === "gp2" ? Math.min(16_000, Math.max(100, spec.sizeGiB * 3)) : undefined,
    ...(spec.volumeType === "gp3" ? { Throughput: 125 } : {}),
    Encrypted: false,
    MultiAttachEnabled: false,
    SnapshotId: "",
    Attachments: status.attachments.map((attachment) => ({
      VolumeId: volume.metadata.name,
      InstanceId: attachment.instanceId,
      Device: attachment.device,
      State: "attached",
      AttachTime: new Date(attachment.attachTime),
      DeleteOnTermination: false,
    })),
    ...(spec.tags.length > 0 ? { Tags: spec.tags } : {}),
  };
}

export function describeVolumes(context: Ec2Context, input: DescribeVolumesInput, _call: CallContext) {
  const all = context.store.list(volumeKind).items as unknown as VolumeObject[];
  const volumes = input.VolumeIds?.length
    ? input.VolumeIds.map((id) => {
        const found = all.find((volume) => volume.metadata.name === id);
        if (!found) throw ec2Error("NotFound", "InvalidVolume.NotFound", `The volume '${id}' does not exist.`);
        return found;
      })
    : all;
  const chosen = applyFilters(volumes, input.Filters, field, (volume) => volume.spec.tags);
  return { Volumes: chosen.map(volumeOutput) };
}
