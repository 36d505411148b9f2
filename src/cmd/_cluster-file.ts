// Reads an eksctl ClusterConfig (eksctl.io/v1alpha5) into the EKS requests it means. Only the
// fields Moor acts on are accepted; any other is refused by its path in the file, in eksctl's
// own names, so a file never half-works silently.

import { invalid } from "../errors/mod.js";

export interface ClusterFile {
  name: string;
  region?: string;
  version?: string;
  tags?: Record<string, string>;
  /** Subnet ids from vpc.subnets (private and public), if the file names any. */
  subnets: string[];
  fargateProfiles: { request: object; podExecutionRoleArn?: string }[];
  nodeGroups: { request: object; availabilityZones?: string[] }[];
}

type Fields = Record<string, unknown>;

const known: Record<string, string[]> = {
  "": ["apiVersion", "kind", "metadata", "vpc", "nodeGroups", "managedNodeGroups", "fargateProfiles"],
  metadata: ["name", "region", "version", "tags"],
  vpc: ["id", "subnets"],
  "vpc.subnets": ["private", "public"],
  nodeGroup: ["name", "instanceType", "instanceTypes", "desiredCapacity", "minSize", "maxSize", "labels", "tags", "availabilityZones", "volumeSize", "privateNetworking"],
  fargateProfile: ["name", "selectors", "subnets", "podExecutionRoleARN", "tags"],
  selector: ["namespace", "labels"],
};

function fields(value: unknown, where: string, allowed: string[]): Fields {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw invalid(`Cannot read the cluster file: ${where || "the file"} must be a mapping`);
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw invalid(`Cannot read the cluster file: field ${JSON.stringify(where ? `${where}.${unknown}` : unknown)} is not supported by Moor (supported: ${allowed.join(", ")})`);
  return value as Fields;
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(`Cannot read the cluster file: ${where} must be a list`);
  return value;
}

const defined = (entries: Record<string, unknown>) => Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));

export function readClusterFile(document: unknown): ClusterFile {
  const top = fields(document, "", known[""]!);
  if (top.apiVersion !== "eksctl.io/v1alpha5") throw invalid(`Cannot read the cluster file: apiVersion ${JSON.stringify(top.apiVersion)} is not "eksctl.io/v1alpha5"`);
  if (top.kind !== "ClusterConfig") throw invalid(`Cannot read the cluster file: kind ${JSON.stringify(top.kind)} is not "ClusterConfig"`);
  const metadata = fields(top.metadata, "metadata", known.metadata!);
  if (typeof metadata.name !== "string") throw invalid("Cannot read the cluster file: metadata.name is required");
  const vpc = top.vpc === undefined ? {} : fields(top.vpc, "vpc", known.vpc!);
  const subnetMaps = vpc.subnets === undefined ? {} : fields(vpc.subnets, "vpc.subnets", known["vpc.subnets"]!);
  const subnets = Object.entries(subnetMaps).flatMap(([kind, zones]) =>
    Object.entries(fields(zones, `vpc.subnets.${kind}`, Object.keys(zones as object))).map(([zone, subnet]) => String(fields(subnet, `vpc.subnets.${kind}.${zone}`, ["id"]).id)),
  );
  const groups = [...list(top.nodeGroups, "nodeGroups").map((g, i) => [g, `nodeGroups[${i}]`] as const), ...list(top.managedNodeGroups, "managedNodeGroups").map((g, i) => [g, `managedNodeGroups[${i}]`] as const)];
  return {
    name: metadata.name,
    ...(typeof metadata.region === "string" ? { region: metadata.region } : {}),
    ...(metadata.version !== undefined ? { version: String(metadata.version) } : {}),
    ...(metadata.tags ? { tags: metadata.tags as Record<string, string> } : {}),
    subnets,
    fargateProfiles: list(top.fargateProfiles, "fargateProfiles").map((value, index) => fargateProfile(value, `fargateProfiles[${index}]`)),
    nodeGroups: groups.map(([value, where]) => nodeGroup(value, where)),
  };
}

function fargateProfile(value: unknown, where: string): ClusterFile["fargateProfiles"][number] {
  const profile = fields(value, where, known.fargateProfile!);
  const selectors = list(profile.selectors, `${where}.selectors`).map((selector, index) => fields(selector, `${where}.selectors[${index}]`, known.selector!));
  return {
    request: defined({ fargateProfileName: profile.name, selectors, subnets: profile.subnets, tags: profile.tags }),
    ...(typeof profile.podExecutionRoleARN === "string" ? { podExecutionRoleArn: profile.podExecutionRoleARN } : {}),
  };
}

function nodeGroup(value: unknown, where: string): ClusterFile["nodeGroups"][number] {
  const group = fields(value, where, known.nodeGroup!);
  // eksctl's defaults: two nodes, bounds the desired count when not given.
  const desiredSize = (group.desiredCapacity as number | undefined) ?? 2;
  const instanceTypes = (group.instanceTypes as string[] | undefined) ?? (group.instanceType ? [group.instanceType as string] : undefined);
  return {
    request: defined({
      nodegroupName: group.name,
      scalingConfig: { desiredSize, minSize: (group.minSize as number | undefined) ?? desiredSize, maxSize: (group.maxSize as number | undefined) ?? desiredSize },
      instanceTypes,
      diskSize: group.volumeSize,
      labels: group.labels,
      tags: group.tags,
    }),
    ...(Array.isArray(group.availabilityZones) ? { availabilityZones: group.availabilityZones as string[] } : {}),
  };
}
