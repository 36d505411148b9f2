// `moor cluster create|delete -f cluster.yaml`: an eksctl ClusterConfig (eksctl.io/v1alpha5) made
// into the EKS operations eksctl's file means, through the moor API: the cluster, then its
// Fargate profiles and node groups; delete undoes them in reverse. Fields Moor does not act on
// are refused by name, so a file never half-works silently. Self-managed `nodeGroups` and
// `managedNodeGroups` both become EKS node groups (Moor has no EC2 instances behind them).

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { loadConfig, paths } from "../config/mod.js";
import { embeddedVpc } from "../domain/network/mod.js";
import { callMoorApi } from "../frontends/moor/mod.js";
import { type ClusterFile, readClusterFile } from "./_cluster-file.js";

const usage = `Usage:
  moor cluster create -f CLUSTER.yaml     (eksctl ClusterConfig, apiVersion eksctl.io/v1alpha5)
  moor cluster delete -f CLUSTER.yaml
  moor cluster ls`;

const profileGonePollMs = 100;
const profileGoneTimeoutMs = 60_000;

export async function commandCluster(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: { file: { type: "string", short: "f" } } });
  const socket = paths(loadConfig()).socket;
  const eks = (operation: string, input: object) => callMoorApi(socket, "POST", `/v1/eks/${operation}`, input);
  if (verb === "ls") {
    const { clusters } = await eks("ListClusters", {});
    for (const name of clusters as string[]) console.log(name);
    return 0;
  }
  if ((verb !== "create" && verb !== "delete") || !values.file) {
    console.error(usage);
    return 2;
  }
  const file = readClusterFile(parseYaml(readFileSync(values.file, "utf8")));
  return verb === "create" ? create(file, eks) : remove(file, eks);
}

type Eks = (operation: string, input: object) => Promise<any>;

async function create(file: ClusterFile, eks: Eks): Promise<number> {
  const config = loadConfig();
  const name = file.name;
  if (file.region && file.region !== config.region) console.error(`moor: metadata.region "${file.region}": Moor serves "${config.region}"; the cluster is made there`);
  const vpc = embeddedVpc(config.region);
  const subnetIds = file.subnets.length > 0 ? file.subnets : vpc.subnets.map((subnet) => subnet.subnetId);
  const role = (what: string) => `arn:aws:iam::${config.accountId}:role/eksctl-${name}-${what}`;
  const { cluster } = await eks("CreateCluster", { name, roleArn: role("cluster-ServiceRole"), resourcesVpcConfig: { subnetIds }, ...(file.version ? { version: file.version } : {}), ...(file.tags ? { tags: file.tags } : {}) });
  console.log(`cluster "${name}" ${cluster.status} (${cluster.arn})`);
  for (const profile of file.fargateProfiles) {
    const { fargateProfile } = await eks("CreateFargateProfile", { clusterName: name, podExecutionRoleArn: profile.podExecutionRoleArn ?? role("FargatePodExecutionRole"), ...profile.request });
    console.log(`fargate profile "${fargateProfile.fargateProfileName}" ${fargateProfile.status}`);
  }
  for (const group of file.nodeGroups) {
    const zone = group.availabilityZones?.[0];
    const subnet = (zone ? vpc.subnets.find((candidate) => candidate.availabilityZone === zone)?.subnetId : undefined) ?? subnetIds[0];
    const { nodegroup } = await eks("CreateNodegroup", { clusterName: name, nodeRole: role("NodeInstanceRole"), subnets: [subnet], ...group.request });
    console.log(`node group "${nodegroup.nodegroupName}" ${nodegroup.status} (${nodegroup.scalingConfig.desiredSize} nodes)`);
  }
  return 0;
}

async function remove(file: ClusterFile, eks: Eks): Promise<number> {
  const clusterName = file.name;
  const { nodegroups } = await eks("ListNodegroups", { clusterName });
  for (const nodegroupName of nodegroups as string[]) {
    await eks("DeleteNodegroup", { clusterName, nodegroupName });
    console.log(`node group "${nodegroupName}" deleted`);
  }
  // EKS deletes one profile of a cluster at a time, and the cluster only once none is left.
  const { fargateProfileNames } = await eks("ListFargateProfiles", { clusterName });
  for (const fargateProfileName of fargateProfileNames as string[]) {
    await eks("DeleteFargateProfile", { clusterName, fargateProfileName });
    const deadline = Date.now() + profileGoneTimeoutMs;
    while (((await eks("ListFargateProfiles", { clusterName })).fargateProfileNames as string[]).includes(fargateProfileName)) {
      if (Date.now() > deadline) throw new Error(`Cannot delete cluster "${clusterName}": Fargate profile "${fargateProfileName}" is still deleting after ${profileGoneTimeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, profileGonePollMs));
    }
    console.log(`fargate profile "${fargateProfileName}" deleted`);
  }
  await eks("DeleteCluster", { name: clusterName });
  console.log(`cluster "${clusterName}" deleted`);
  return 0;
}
