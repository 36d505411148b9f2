// CreateCluster: a name for Moor's one Kubernetes API, in the VPC of the subnets it names. The
// cluster is ACTIVE when the call returns (EKS takes minutes; here nothing has to be built), so
// `aws eks wait cluster-active` returns on its first poll. Its endpoint and CA are the kube API's.

import type { StoredObject } from "../../store/mod.js";
import { clusterKind, defaultKubernetesVersion, eksApiVersion, type EksContext } from "./_context.js";
import { type ClusterDescription, describeClusterObject } from "./_describe.js";
import { eksError } from "./_errors.js";

export interface CreateClusterInput {
  name: string;
  roleArn: string;
  resourcesVpcConfig: {
    subnetIds?: string[];
    securityGroupIds?: string[];
    endpointPublicAccess?: boolean;
    endpointPrivateAccess?: boolean;
    publicAccessCidrs?: string[];
  };
  version?: string;
  kubernetesNetworkConfig?: { serviceIpv4Cidr?: string; ipFamily?: string };
  tags?: Record<string, string>;
  clientRequestToken?: string;
}

export const clustersMax = 100;
const namePattern = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

export function createCluster(context: EksContext, input: CreateClusterInput): { cluster: ClusterDescription } {
  const cluster = createClusterObject(context, input);
  return { cluster: describeClusterObject(context, cluster) };
}

export function createClusterObject(context: EksContext, input: CreateClusterInput): StoredObject {
  const { store } = context;
  const name = input.name;
  if (typeof name !== "string" || !namePattern.test(name)) {
    throw eksError("InvalidParameterException", `Cannot create cluster ${JSON.stringify(name)}: the name must be 1-100 letters, digits, hyphens or underscores, starting with a letter or digit`, { clusterName: String(name) });
  }
  if (input.version !== undefined && !/^1\.\d{1,2}$/.test(input.version)) {
    throw eksError("InvalidParameterException", `unsupported Kubernetes version ${input.version}`, { clusterName: name });
  }
  const vpcConfig = input.resourcesVpcConfig ?? {};
  const subnetIds = vpcConfig.subnetIds ?? [];
  const vpcId = clusterVpc(context, name, subnetIds);
  return store.transaction(() => {
    if (store.get({ kind: clusterKind, name })) throw eksError("ResourceInUseException", `Cluster already exists with name: ${name}`, { clusterName: name }, "AlreadyExists");
    if (store.list(clusterKind).items.length >= clustersMax) throw eksError("ResourceLimitExceededException", `Cannot create cluster ${JSON.stringify(name)}: the account has the maximum of ${clustersMax} clusters`, { clusterName: name });
    const uuid = context.randomUuid();
    return store.create({
      apiVersion: eksApiVersion,
      kind: clusterKind,
      metadata: { name },
      spec: {
        version: input.version ?? defaultKubernetesVersion,
        roleArn: input.roleArn,
        resourcesVpcConfig: {
          subnetIds: [...subnetIds],
          securityGroupIds: [...(vpcConfig.securityGroupIds ?? [])],
          endpointPublicAccess: vpcConfig.endpointPublicAccess ?? true,
          endpointPrivateAccess: vpcConfig.endpointPrivateAccess ?? false,
          publicAccessCidrs: [...(vpcConfig.publicAccessCidrs ?? ["0.0.0.0/0"])],
        },
        kubernetesNetworkConfig: { serviceIpv4Cidr: input.kubernetesNetworkConfig?.serviceIpv4Cidr ?? "10.100.0.0/16" },
        ...(input.tags ? { tags: { ...input.tags } } : {}),
      },
      status: {
        status: "ACTIVE",
        arn: `arn:aws:eks:${context.region}:${context.accountId}:cluster/${name}`,
        createdAt: context.now().toISOString(),
        vpcId,
        clusterSecurityGroupId: `sg-${uuid.replaceAll("-", "").slice(0, 17)}`,
        oidcId: uuid.replaceAll("-", "").toUpperCase(),
      },
    });
  });
}

/** The VPC of the cluster's subnets: at least two, all known, in one VPC and two zones or more. */
function clusterVpc(context: EksContext, name: string, subnetIds: string[]): string {
  const action = `Cannot create cluster ${JSON.stringify(name)}`;
  const subnets = subnetIds.map((id) => {
    const subnet = context.subnet(id);
    if (!subnet) throw eksError("InvalidParameterException", `${action}: subnet ${JSON.stringify(id)} does not exist`, { clusterName: name });
    return subnet;
  });
  const vpcs = new Set(subnets.map((subnet) => subnet.vpcId));
  if (vpcs.size > 1) throw eksError("InvalidParameterException", `${action}: subnets ${subnetIds.map((id) => JSON.stringify(id)).join(", ")} are not all in one VPC`, { clusterName: name });
  if (new Set(subnets.map((subnet) => subnet.availabilityZone)).size < 2) {
    throw eksError("InvalidParameterException", "Subnets specified must be in at least two different AZs", { clusterName: name });
  }
  return [...vpcs][0]!;
}
