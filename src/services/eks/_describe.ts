// The stored EKS objects as the EKS model's output shapes (Cluster, FargateProfile, Nodegroup),
// timestamps as Date objects (the wire renders epoch seconds).

import type { StoredObject } from "../../store/mod.js";
import { clusterOf, defaultInstanceType, defaultKubernetesVersion, eksName, type EksContext } from "./_context.js";

export interface ClusterDescription {
  name: string;
  arn: string;
  createdAt: Date;
  version: string;
  endpoint: string;
  roleArn: string;
  resourcesVpcConfig: {
    subnetIds: string[];
    securityGroupIds: string[];
    clusterSecurityGroupId: string;
    vpcId: string;
    endpointPublicAccess: boolean;
    endpointPrivateAccess: boolean;
    publicAccessCidrs: string[];
  };
  kubernetesNetworkConfig: { serviceIpv4Cidr: string; ipFamily: string };
  logging: { clusterLogging: { types: string[]; enabled: boolean }[] };
  identity: { oidc: { issuer: string } };
  status: string;
  certificateAuthority: { data: string };
  platformVersion: string;
  tags: Record<string, string>;
  accessConfig: { authenticationMode: string };
}

export function describeClusterObject(context: EksContext, cluster: StoredObject): ClusterDescription {
  const { spec, status } = cluster;
  const kube = context.kubeEndpoint();
  return {
    name: cluster.metadata.name,
    arn: status.arn,
    createdAt: new Date(status.createdAt),
    version: spec.version,
    endpoint: kube.url,
    roleArn: spec.roleArn,
    resourcesVpcConfig: {
      subnetIds: [...spec.resourcesVpcConfig.subnetIds],
      securityGroupIds: [...spec.resourcesVpcConfig.securityGroupIds],
      clusterSecurityGroupId: status.clusterSecurityGroupId,
      vpcId: status.vpcId,
      endpointPublicAccess: spec.resourcesVpcConfig.endpointPublicAccess,
      endpointPrivateAccess: spec.resourcesVpcConfig.endpointPrivateAccess,
      publicAccessCidrs: [...spec.resourcesVpcConfig.publicAccessCidrs],
    },
    kubernetesNetworkConfig: { serviceIpv4Cidr: spec.kubernetesNetworkConfig.serviceIpv4Cidr, ipFamily: "ipv4" },
    logging: { clusterLogging: [{ types: ["api", "audit", "authenticator", "controllerManager", "scheduler"], enabled: false }] },
    identity: { oidc: { issuer: `https://oidc.eks.${context.region}.amazonaws.com/id/${status.oidcId}` } },
    status: status.status,
    certificateAuthority: { data: kube.certificateAuthority },
    platformVersion: "eks.1",
    tags: { ...(spec.tags ?? {}) },
    accessConfig: { authenticationMode: "API_AND_CONFIG_MAP" },
  };
}

export interface FargateProfileDescription {
  fargateProfileName: string;
  fargateProfileArn: string;
  clusterName: string;
  createdAt: Date;
  podExecutionRoleArn: string;
  subnets: string[];
  selectors: { namespace: string; labels?: Record<string, string> }[];
  status: string;
  tags: Record<string, string>;
}

export function describeProfileObject(profile: StoredObject): FargateProfileDescription {
  const { spec, status } = profile;
  return {
    fargateProfileName: eksName(profile),
    fargateProfileArn: status.fargateProfileArn,
    clusterName: clusterOf(profile),
    createdAt: new Date(status.createdAt),
    podExecutionRoleArn: spec.podExecutionRoleArn,
    subnets: [...spec.subnets],
    selectors: (spec.selectors as { namespace: string; labels?: Record<string, string> }[]).map((selector) => ({
      namespace: selector.namespace,
      ...(selector.labels && Object.keys(selector.labels).length > 0 ? { labels: { ...selector.labels } } : {}),
    })),
    status: status.status,
    tags: { ...(spec.tags ?? {}) },
  };
}

export interface NodegroupDescription {
  nodegroupName: string;
  nodegroupArn: string;
  clusterName: string;
  version: string;
  releaseVersion: string;
  createdAt: Date;
  modifiedAt: Date;
  status: string;
  capacityType: string;
  scalingConfig: { minSize: number; maxSize: number; desiredSize: number };
  instanceTypes: string[];
  subnets: string[];
  amiType: string;
  nodeRole: string;
  labels: Record<string, string>;
  resources: { autoScalingGroups: { name: string }[] };
  diskSize: number;
  health: { issues: never[] };
  updateConfig: { maxUnavailable: number };
  tags: Record<string, string>;
}

export function describeNodeGroupObject(context: EksContext, group: StoredObject): NodegroupDescription {
  const { spec, status } = group;
  const name = eksName(group);
  const arn: string = status.nodegroupArn ?? `arn:aws:eks:${context.region}:${context.accountId}:nodegroup/${clusterOf(group)}/${name}/moor`;
  return {
    nodegroupName: name,
    nodegroupArn: arn,
    clusterName: clusterOf(group),
    version: spec.version ?? defaultKubernetesVersion,
    releaseVersion: `${spec.version ?? defaultKubernetesVersion}.0-moor`,
    createdAt: new Date(status.createdAt),
    modifiedAt: new Date(status.modifiedAt ?? status.createdAt),
    status: status.status,
    // Groups made before the EKS API (by `moor nodegroup`) hold only zone, subnet and size.
    capacityType: spec.capacityType ?? "ON_DEMAND",
    scalingConfig: { minSize: spec.scalingConfig?.minSize ?? 0, maxSize: spec.scalingConfig?.maxSize ?? Math.max(spec.nodes, 1), desiredSize: spec.nodes },
    instanceTypes: [...(spec.instanceTypes ?? [defaultInstanceType])],
    subnets: [...(spec.subnets ?? [spec.subnetId])],
    amiType: spec.amiType ?? "AL2023_x86_64_STANDARD",
    nodeRole: spec.nodeRole ?? "",
    labels: { ...(spec.labels ?? {}) },
    resources: { autoScalingGroups: [{ name: `eks-${name}-${arn.split("/").pop()}` }] },
    diskSize: spec.diskSize ?? 20,
    health: { issues: [] },
    updateConfig: { maxUnavailable: 1 },
    tags: { ...(spec.tags ?? {}) },
  };
}
