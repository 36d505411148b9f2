// DescribeInstances: by ids (each must exist) and filters (instance-id, instance-state-name,
// instance-type, subnet-id, vpc-id, image-id, availability-zone, private-ip-address,
// reservation-id, key-name, instance.group-id, tag:<key>), grouped into reservations, paged.

import type { CallContext, Ec2Context } from "./_context.js";
import { applyFilters, type Filter } from "./_filters.js";
import { type InstanceObject, instanceOutput, listInstances, requireInstances } from "./_instances.js";

export interface DescribeInstancesInput {
  InstanceIds?: string[];
  Filters?: Filter[];
  MaxResults?: number;
  NextToken?: string;
}

export function instanceField(instance: InstanceObject, name: string): string | string[] | undefined {
  const fields: Record<string, () => string | string[]> = {
    "instance-id": () => instance.metadata.name,
    "instance-state-name": () => instance.status.state,
    "instance-state-code": () => String({ pending: 0, running: 16, "shutting-down": 32, terminated: 48, stopping: 64, stopped: 80 }[instance.status.state]),
    "instance-type": () => instance.spec.instanceType,
    "subnet-id": () => instance.spec.subnetId,
    "vpc-id": () => instance.spec.vpcId,
    "image-id": () => instance.spec.imageId,
    "availability-zone": () => instance.spec.availabilityZone,
    "private-ip-address": () => instance.status.privateIpAddress ?? [],
    "reservation-id": () => instance.spec.reservationId,
    "key-name": () => instance.spec.keyName ?? [],
    "instance.group-id": () => instance.spec.securityGroupIds,
    "owner-id": () => instance.spec.ownerId,
  };
  return fields[name]?.();
}

export function describeInstances(context: Ec2Context, input: DescribeInstancesInput, call: CallContext) {
  const chosen = input.InstanceIds?.length ? requireInstances(context, input.InstanceIds) : listInstances(context).sort((a, b) => a.status.launchTime.localeCompare(b.status.launchTime));
  const found = applyFilters(chosen, input.Filters, instanceField, (instance) => instance.spec.tags);
  const offset = input.NextToken ? Number(input.NextToken) || 0 : 0;
  const page = input.MaxResults ? found.slice(offset, offset + input.MaxResults) : found.slice(offset);
  const reservations = new Map<string, InstanceObject[]>();
  for (const instance of page) reservations.set(instance.spec.reservationId, [...(reservations.get(instance.spec.reservationId) ?? []), instance]);
  const more = input.MaxResults !== undefined && offset + input.MaxResults < found.length;
  return {
    Reservations: [...reservations.entries()].map(([reservationId, instances]) => ({
      ReservationId: reservationId,
      OwnerId: context.accountId,
      Groups: [],
      Instances: instances.map((instance) => instanceOutput(context, call, instance)),
    })),
    ...(more ? { NextToken: String(offset + input.MaxResults!) } : {}),
  };
}
