// DescribeServices (names or ARNs; unknown ones are failures with reason MISSING) and
// ListServices (the cluster's ACTIVE and DRAINING services).

import { lastSegmentOf, serviceArn } from "../../domain/ecs/mod.js";
import { type CallContext, type EcsContext, page, requireCluster, serviceKind } from "./_context.js";
import { serviceArnOf } from "./_describe.js";
import { serviceOutput } from "./_services.js";

export function describeServices(context: EcsContext, input: { cluster?: string; services: string[]; include?: string[] }, _call?: CallContext) {
  const cluster = requireCluster(context, input.cluster).metadata.name;
  const services = [];
  const failures = [];
  for (const identifier of input.services) {
    const name = lastSegmentOf(identifier);
    const service = context.store.get({ kind: serviceKind, namespace: cluster, name });
    if (service) services.push(serviceOutput(context, service, input.include ?? []));
    else failures.push({ arn: identifier.startsWith("arn:") ? identifier : serviceArn(context, cluster, name), reason: "MISSING" });
  }
  return { services, failures };
}

export function listServices(context: EcsContext, input: { cluster?: string; nextToken?: string; maxResults?: number; launchType?: string }, _call?: CallContext) {
  const cluster = requireCluster(context, input.cluster).metadata.name;
  const arns = context.store
    .list(serviceKind, { namespace: cluster })
    .items.filter((service) => service.status?.status !== "INACTIVE")
    .map((service) => serviceArnOf(context, service));
  const { items, nextToken } = page(arns, input, 10);
  return { serviceArns: items, nextToken };
}
