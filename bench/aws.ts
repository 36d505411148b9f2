// bench/aws: the AWS control plane the guides call, under the real SDK v3 clients, against a
// built Moor (`moor up` in a temp data directory, with its default cluster `moor` and profile
// `fp-default`).
//   node dist/bench/aws.js [--calls 200] [--warmup 10] [--budget 30]
// Every operation runs `--calls` times one after the other (latency, not throughput) after
// `--warmup` untimed calls, and stops early when it has used `--budget` seconds, so a slow
// operation bounds the run instead of stretching it. Create/delete operations run in pairs on
// unique names, so each call does the same work. The baseline, measured in the same run against
// the same server, is a GET of an unknown path with node's fetch: the HTTP round trip with no
// SDK and no operation behind it. Goal (issue 12): p50 ≤ 5 ms per operation.

import { parseArgs } from "node:util";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetRoleCommand,
  IAMClient,
} from "@aws-sdk/client-iam";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { DescribeClusterCommand, DescribeFargateProfileCommand, EKSClient, ListClustersCommand } from "@aws-sdk/client-eks";
import { DescribeFileSystemsCommand, EFSClient } from "@aws-sdk/client-efs";
import { startMoor } from "../test/harness.js";

const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "200" },
    warmup: { type: "string", default: "10" },
    budget: { type: "string", default: "30" },
  },
});
const calls = Number(values.calls);
const warmups = Number(values.warmup);
const budgetMs = Number(values.budget) * 1000;
const goalMs = 5;
const cluster = "moor";
const profile = "fp-default";
const run = Date.now().toString(36);

const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const ms = (value: number) => (value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(2)} ms`);

/** Samples per operation, in the order operations were first timed. */
const samples = new Map<string, number[]>();
type Time = <T>(operation: string, call: () => Promise<T>) => Promise<T>;

const record: Time = async (operation, call) => {
  const started = performance.now();
  const result = await call();
  const elapsed = performance.now() - started;
  if (!samples.has(operation)) samples.set(operation, []);
  samples.get(operation)!.push(elapsed);
  return result;
};
const untimed: Time = (_operation, call) => call();

/**
 * Runs `step` `warmups` times untimed (keys "w0", "w1", ...), then up to `calls` times timed
 * (keys "0", "1", ...), stopping once the timed part has used the budget.
 */
async function cycle(what: string, step: (key: string, time: Time) => Promise<void>): Promise<void> {
  for (let index = 0; index < warmups; index++) await step(`w${index}`, untimed);
  const started = performance.now();
  let done = 0;
  while (done < calls && performance.now() - started < budgetMs) await step(String(done++), record);
  const note = done < calls ? ` (stopped by the ${values.budget} s budget)` : "";
  console.error(`bench: ${what}: ${done} calls in ${((performance.now() - started) / 1000).toFixed(1)} s${note}`);
}

const moor = await startMoor();
const config = { endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" }, maxAttempts: 1 };
const sts = new STSClient(config);
const iam = new IAMClient(config);
const ec2 = new EC2Client(config);
const eks = new EKSClient(config);
const efs = new EFSClient(config);
const clients = [sts, iam, ec2, eks, efs];

const trust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "eks-fargate-pods.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const policyDocument = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], Resource: "*" }],
});

async function baseline(): Promise<void> {
  await cycle("baseline", async (_key, time) => {
    await time("baseline: GET unknown path, node fetch (no SDK)", async () => {
      const response = await fetch(`${moor.awsEndpoint}/bench-baseline`);
      await response.arrayBuffer();
    });
  });
}

async function readOnly(): Promise<void> {
  const reads: Array<[string, () => Promise<unknown>]> = [
    ["sts GetCallerIdentity", () => sts.send(new GetCallerIdentityCommand({}))],
    ["ec2 DescribeVpcs", () => ec2.send(new DescribeVpcsCommand({}))],
    ["ec2 DescribeSubnets", () => ec2.send(new DescribeSubnetsCommand({}))],
    ["ec2 DescribeSecurityGroups", () => ec2.send(new DescribeSecurityGroupsCommand({}))],
    ["eks DescribeCluster", () => eks.send(new DescribeClusterCommand({ name: cluster }))],
    ["eks ListClusters", () => eks.send(new ListClustersCommand({}))],
    ["eks DescribeFargateProfile", () => eks.send(new DescribeFargateProfileCommand({ clusterName: cluster, fargateProfileName: profile }))],
    ["efs DescribeFileSystems", () => efs.send(new DescribeFileSystemsCommand({}))],
  ];
  for (const [operation, call] of reads) await cycle(operation, (_key, time) => time(operation, call).then(() => undefined));
}

async function iamWrites(): Promise<void> {
  const policyArns: string[] = [];
  await cycle("iam policies", async (key, time) => {
    const name = `bench-${run}-policy-${key}`;
    const created = await time("iam CreatePolicy", () => iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: policyDocument })));
    const arn = created.Policy!.Arn!;
    policyArns.push(arn);
    await time("iam GetPolicy", () => iam.send(new GetPolicyCommand({ PolicyArn: arn })));
  });
  const attached = policyArns[0]!;
  await cycle("iam roles", async (key, time) => {
    const name = `bench-${run}-role-${key}`;
    await time("iam CreateRole", () => iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust })));
    await time("iam GetRole", () => iam.send(new GetRoleCommand({ RoleName: name })));
    await time("iam AttachRolePolicy", () => iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: attached })));
    await time("iam DetachRolePolicy", () => iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: attached })));
    await time("iam DeleteRole", () => iam.send(new DeleteRoleCommand({ RoleName: name })));
  });
  for (const arn of policyArns) await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
}

async function securityGroups(): Promise<void> {
  const { Vpcs } = await ec2.send(new DescribeVpcsCommand({}));
  const vpcId = Vpcs?.[0]?.VpcId;
  if (!vpcId) throw new Error("Benchmarking security groups failed: DescribeVpcs returned no VPC");
  await cycle("ec2 security groups", async (key, time) => {
    const name = `bench-${run}-sg-${key}`;
    const created = await time("ec2 CreateSecurityGroup", () =>
      ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: "bench/aws", VpcId: vpcId })),
    );
    const groupId = created.GroupId!;
    await time("ec2 AuthorizeSecurityGroupIngress (TCP 2049 from a CIDR)", () =>
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 2049, ToPort: 2049, IpRanges: [{ CidrIp: "10.0.0.0/16" }] }],
        }),
      ),
    );
    await time("ec2 DeleteSecurityGroup", () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId })));
  });
}

function table(): string {
  const base = samples.values().next().value as number[];
  const baseP50 = percentile(base, 50);
  const lines = ["| operation | n | p50 | p99 | p50 / baseline p50 | p50 ≤ 5 ms |", "|---|---|---|---|---|---|"];
  let first = true;
  for (const [operation, taken] of samples) {
    const p50 = percentile(taken, 50);
    const ratio = first ? "1.0×" : `${(p50 / baseP50).toFixed(1)}×`;
    const goal = first ? "" : p50 <= goalMs ? "yes" : "no";
    lines.push(`| ${operation} | ${taken.length} | ${ms(p50)} | ${ms(percentile(taken, 99))} | ${ratio} | ${goal} |`);
    first = false;
  }
  return lines.join("\n");
}

/** Waits until the default cluster is ACTIVE, so start-up work does not land in the samples. */
async function settle(): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { cluster: described } = await eks.send(new DescribeClusterCommand({ name: cluster }));
    if (described?.status === "ACTIVE") return;
    if (Date.now() > deadline) throw new Error(`Waiting for cluster "${cluster}" failed: still "${described?.status}" after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

try {
  await settle();
  await baseline();
  await readOnly();
  await iamWrites();
  await securityGroups();
  // The baseline again at the end: the machine is shared, so the table says if it drifted.
  const before = percentile(samples.values().next().value as number[], 50);
  const after: number[] = [];
  for (let index = 0; index < calls; index++) {
    const started = performance.now();
    await (await fetch(`${moor.awsEndpoint}/bench-baseline`)).arrayBuffer();
    after.push(performance.now() - started);
  }
  console.log(table());
  console.log(`\nbaseline p50 at the start ${ms(before)}, at the end ${ms(percentile(after, 50))}`);
} finally {
  for (const client of clients) client.destroy();
  await moor.dispose().catch((error) => console.error(`bench: cleaning up failed: ${error instanceof Error ? error.message : error}`));
}
