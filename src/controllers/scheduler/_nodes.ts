// Node objects the scheduler makes: one Fargate node per Fargate pod, named from the pod's IP,
// and the addresses they take from the Fargate range of their subnet (see addressRanges).

import type { Store, StoredObject } from "../../store/mod.js";
import { computeTypeLabel, profileLabel } from "../../domain/scheduling/mod.js";
import { addressRanges, numberToIp, type Subnet, ipToNumber } from "../../domain/network/mod.js";
import { limitExceeded } from "../../errors/mod.js";

export const agentLabel = "moor.dev/agent";
export const nodeGroupLabel = "moor.dev/node-group";
export const zoneLabel = "topology.kubernetes.io/zone";
export const regionLabel = "topology.kubernetes.io/region";
export function nodeDomain(region: string): string {
  return region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`;
}

export function fargateNodeName(ip: string, region: string): string {
  return `fargate-ip-${ip.replaceAll(".", "-")}.${nodeDomain(region)}`;
}

/** The address a Fargate node's name carries ("fargate-ip-10-42-0-5.ec2.internal" → "10.42.0.5"). */
export function ipOfFargateNodeName(name: string): string | undefined {
  const match = /^fargate-ip-(\d+-\d+-\d+-\d+)\./.exec(name);
  return match ? match[1]!.replaceAll("-", ".") : undefined;
}

export function isFargateNode(node: StoredObject): boolean {
  return node.metadata.labels?.[computeTypeLabel] === "fargate";
}

export function internalIp(node: StoredObject): string | undefined {
  return (node.status?.addresses as { type: string; address: string }[] | undefined)?.find((address) => address.type === "InternalIP")?.address;
}

/** The lowest free Fargate address in the subnet, given every node's address. */
export function allocateFargateIp(subnet: Subnet, nodes: StoredObject[]): string {
  const used = new Set(nodes.map(internalIp).filter((ip): ip is string => ip !== undefined));
  const range = addressRanges(subnet).fargate;
  for (let address = range.first; address <= range.last; address++) {
    const ip = numberToIp(address);
    if (!used.has(ip)) return ip;
  }
  throw limitExceeded(`Cannot place a Fargate pod in subnet "${subnet.subnetId}": its ${range.last - range.first + 1} Fargate addresses are in use`);
}

export function subnetOfIp(subnets: Subnet[], ip: string): Subnet | undefined {
  const value = ipToNumber(ip);
  return subnets.find((subnet) => value >= subnet.firstHost && value <= subnet.lastHost);
}

export interface FargateNodeInput {
  ip: string;
  subnet: Subnet;
  region: string;
  agent: string;
  profile: string;
  pod: StoredObject;
}

export function fargateNode(input: FargateNodeInput): StoredObject {
  const name = fargateNodeName(input.ip, input.region);
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        [computeTypeLabel]: "fargate",
        [profileLabel]: input.profile,
        [agentLabel]: input.agent,
        [zoneLabel]: input.subnet.availabilityZone,
        [regionLabel]: input.region,
        "failure-domain.beta.kubernetes.io/zone": input.subnet.availabilityZone,
        "failure-domain.beta.kubernetes.io/region": input.region,
        "topology.k8s.aws/zone-id": input.subnet.availabilityZoneId,
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "moor.dev/subnet": input.subnet.subnetId,
      },
      annotations: { "moor.dev/pod": `${input.pod.metadata.namespace}/${input.pod.metadata.name}`, "moor.dev/pod-uid": input.pod.metadata.uid ?? "" },
    },
    spec: {
      providerID: `aws:///${input.subnet.availabilityZone}/${name}`,
      taints: [{ key: computeTypeLabel, value: "fargate", effect: "NoSchedule" }],
    },
    status: {
      addresses: [
        { type: "InternalIP", address: input.ip },
        { type: "Hostname", address: name },
        { type: "InternalDNS", address: name },
      ],
      conditions: [],
    },
  };
}

/** Fargate nodes that are already taken by a pod (bound or about to be). */
export function fargateNodes(store: Store): StoredObject[] {
  return store.list("Node").items.filter(isFargateNode);
}
