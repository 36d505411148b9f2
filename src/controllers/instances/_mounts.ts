// EFS mounted inside EC2 instances. An instance's mount helper (mount -t nfs|nfs4|efs, through
// the metadata service) asks; this checks what AWS checks, with the mount engine (the file
// system, a mount target the instance reaches in its zone, the security groups on TCP 2049,
// the file-system policy as an anonymous client or, with `iam`, as the role of the instance's
// IAM instance profile, and an access point's identity), mounts the
// file system on the host under `root/<instance-id>/` and puts that mount onto the directory
// inside the instance (PodIO.mountInto). umount(8) in the instance comes back here; a stopping
// or terminating instance has its mounts released by the instance controller.
//
// Mounts are served through FUSE even when nothing needs enforcing (`enforce`): the mount's
// type inside the instance is then Moor's (fuse.moor), whose umount helper the image carries.

import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { PodIO } from "../../agent/mod.js";
import {
  type ClientMount,
  type ClientMountRefusal,
  type ClientMountType,
  clientMountFailure,
  clientMountTypes,
  isClientMountFailure,
  mountTargetKind,
  type MountTargetObject,
  parseClientMount,
} from "../../domain/efs/mod.js";
import { isMoorError } from "../../errors/mod.js";
import type { InstanceMountCall, InstanceMountReply } from "../../engines/metadata/mod.js";
import { type MountEngine, mountRefusalCodes } from "../../engines/mount/mod.js";
import { unmountBelow } from "../../engines/hostmounts/mod.js";
import { instanceKind, type InstanceObject } from "../../services/ec2/mod.js";
import { instanceProfileRoleArn } from "../../services/iam/mod.js";
import type { Store } from "../../store/mod.js";
import { instanceNamespace } from "./_pod.js";

export interface InstanceMountsOptions {
  store: Store;
  engine: Pick<MountEngine, "mount" | "unmount">;
  pods: () => Pick<PodIO, "mountInto" | "unmountFrom">;
  /** Host directory under which each instance's mounts live. */
  root: string;
  region: string;
}

interface InstanceMount {
  instanceId: string;
  directory: string;
  hostPath: string;
}

const mountFailureStatus = 32;
const ok: InstanceMountReply = { exitCode: 0, stderr: "" };
const container = "instance";

/** Which words a client prints for the mount engine's refusal. */
function refusalOf(error: unknown): ClientMountRefusal {
  if (!isMoorError(error)) return "other";
  if (error.code === mountRefusalCodes.noMountTarget || error.code === mountRefusalCodes.fileSystemNotFound) return "unresolvable";
  if (error.code === mountRefusalCodes.nfsNotAdmitted) return "unreachable";
  if (error.category === "Forbidden") return "denied";
  if (error.category === "NotFound") return "missing-path";
  return "other";
}

export class InstanceMounts {
  readonly #options: InstanceMountsOptions;
  readonly #mounts = new Map<string, InstanceMount>();

  constructor(options: InstanceMountsOptions) {
    this.#options = options;
  }

  handle(call: InstanceMountCall): Promise<InstanceMountReply> {
    return call.action === "mount" ? this.mount(call) : this.unmount(call.instanceId, call.directory);
  }

  async mount(call: InstanceMountCall): Promise<InstanceMountReply> {
    const { region, store } = this.#options;
    if (!clientMountTypes.includes(call.type as ClientMountType)) return { exitCode: mountFailureStatus, stderr: `mount: unknown filesystem type '${call.type}'` };
    const parsed = parseClientMount(call.type as ClientMountType, call.spec, call.options, region);
    if (isClientMountFailure(parsed)) return parsed;
    const instance = store.get({ kind: instanceKind, name: call.instanceId }) as InstanceObject | undefined;
    if (!instance?.status.privateIpAddress) return { exitCode: mountFailureStatus, stderr: `${parsed.program}: the instance "${call.instanceId}" has no address yet` };
    if (this.#mounts.has(keyOf(call.instanceId, call.directory))) return { exitCode: mountFailureStatus, stderr: `${parsed.program}: ${call.directory} is busy or already mounted` };
    const target = this.#target(parsed, instance);
    if ("refusal" in target) return clientMountFailure(parsed, region, target.refusal, target.reason);
    const hostPath = join(this.#options.root, call.instanceId, randomBytes(6).toString("hex"));
    try {
      await this.#options.engine.mount({
        target: `${target.fileSystemId}:${parsed.path}`,
        ...(parsed.accessPointId ? { accessPointId: parsed.accessPointId } : {}),
        zone: target.zone,
        tls: parsed.tls,
        iam: parsed.iam,
        ...(target.principalArn ? { principalArn: target.principalArn } : {}),
        readOnly: parsed.readOnly,
        source: { ip: instance.status.privateIpAddress, securityGroupIds: instance.spec.securityGroupIds },
        enforce: true,
        mountPoint: hostPath,
        owner: "pod",
      });
    } catch (error) {
      return clientMountFailure(parsed, region, refusalOf(error), error instanceof Error ? error.message : String(error));
    }
    return this.#place(parsed, { instanceId: call.instanceId, directory: call.directory, hostPath });
  }

  /** The file system, the zone whose mount target serves the client and the role an `iam` mount presents, or why there is none. */
  #target(parsed: ClientMount, instance: InstanceObject): { fileSystemId: string; zone: string; principalArn?: string } | { refusal: ClientMountRefusal; reason: string } {
    const profile = instance.spec.iamInstanceProfile?.arn;
    const principalArn = parsed.iam && profile ? instanceProfileRoleArn(this.#options.store, profile) : undefined;
    if (parsed.iam && !principalArn) {
      const reason = profile ? `the instance profile "${profile}" holds no role` : `the instance "${instance.metadata.name}" was launched without an IAM instance profile`;
      return { refusal: "no-credentials", reason };
    }
    const role = principalArn ? { principalArn } : {};
    if (parsed.fileSystemId) return { fileSystemId: parsed.fileSystemId, zone: parsed.zoneName ?? instance.spec.availabilityZone, ...role };
    const targets = this.#options.store.list(mountTargetKind).items as MountTargetObject[];
    const target = targets.find((candidate) => candidate.spec.ipAddress === parsed.mountTargetAddress && candidate.status.lifeCycleState === "available");
    if (!target) return { refusal: "unreachable", reason: `no mount target has the address "${parsed.mountTargetAddress}"` };
    return { fileSystemId: target.spec.fileSystemId, zone: target.spec.availabilityZoneName, ...role };
  }

  async #place(parsed: ClientMount, mount: InstanceMount): Promise<InstanceMountReply> {
    const pods = this.#options.pods();
    try {
      if (!pods.mountInto) throw new Error("this node agent cannot add mounts to running sandboxes");
      await pods.mountInto({ namespace: instanceNamespace, name: mount.instanceId }, container, mount.hostPath, mount.directory);
    } catch (error) {
      await this.#options.engine.unmount(mount.hostPath).catch(() => {});
      return { exitCode: mountFailureStatus, stderr: `${parsed.program}: mount point ${mount.directory} cannot be used: ${error instanceof Error ? error.message : String(error)}` };
    }
    this.#mounts.set(keyOf(mount.instanceId, mount.directory), mount);
    return ok;
  }

  async unmount(instanceId: string, directory: string): Promise<InstanceMountReply> {
    const mount = this.#mounts.get(keyOf(instanceId, directory));
    if (!mount) return { exitCode: mountFailureStatus, stderr: `umount: ${directory}: not mounted.` };
    const pods = this.#options.pods();
    try {
      await pods.unmountFrom?.({ namespace: instanceNamespace, name: instanceId }, container, directory);
    } catch (error) {
      return { exitCode: mountFailureStatus, stderr: `umount: ${directory}: ${error instanceof Error ? error.message : String(error)}` };
    }
    this.#mounts.delete(keyOf(instanceId, directory));
    await this.#options.engine.unmount(mount.hostPath).catch((error) => console.error(`moor: unmounting "${mount.hostPath}" failed:`, error));
    return ok;
  }

  /**
   * The instance stopped or went: its host mounts go (its sandbox, and so its own view, is gone),
   * and so does anything left under its directory by an earlier Moor, which this one never knew.
   */
  async release(instanceId: string): Promise<void> {
    for (const [key, mount] of [...this.#mounts]) {
      if (mount.instanceId !== instanceId) continue;
      this.#mounts.delete(key);
      await this.#options.engine.unmount(mount.hostPath).catch((error) => console.error(`moor: unmounting "${mount.hostPath}" failed:`, error));
    }
    await unmountBelow(join(this.#options.root, instanceId));
  }

  /** Mounts held for an instance (tests, and the controller's bookkeeping). */
  mountsOf(instanceId: string): string[] {
    return [...this.#mounts.values()].filter((mount) => mount.instanceId === instanceId).map((mount) => mount.directory);
  }
}

function keyOf(instanceId: string, directory: string): string {
  return `${instanceId}\0${directory}`;
}
