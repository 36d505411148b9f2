// bench/instances: how soon an EC2 instance's user data starts after RunInstances returns to
// the SDK, against a built Moor (`moor up` in a temp data directory).
//   node dist/bench/instances.js [--runs 10]
// Each run starts one instance whose user data's first command writes the time (ns) into a file,
// reads that file back through `kubectl exec` once it exists, and terminates the instance before
// the next run. The first instance (which loads the Debian instance image into the store) is a
// warm-up and not counted. Goal (issue 13): user data starting within 1 s.

import { parseArgs } from "node:util";
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { startMoor } from "../test/harness.js";
import { kubectl, waitFor } from "../test/kubectl.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "10" } } });
const runs = Number(values.runs);
const goalMs = 1000;
const userData = Buffer.from("#!/bin/bash\ndate +%s%N > /var/tmp/started\n").toString("base64");

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

const moor = await startMoor();
const client = new EC2Client({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" } });

async function once(): Promise<number> {
  const before = process.hrtime.bigint();
  const wallBefore = BigInt(Date.now()) * 1_000_000n;
  const run = await client.send(new RunInstancesCommand({ ImageId: "ami-0abcdef1234567890", InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, UserData: userData }));
  const returnedNs = wallBefore + (process.hrtime.bigint() - before);
  const id = run.Instances![0]!.InstanceId!;
  const started = await waitFor("the user data's mark", async () => {
    const read = await kubectl(moor, ["exec", "-n", "aws-ec2", id, "--", "cat", "/var/tmp/started"]);
    return read.code === 0 && /^\d+$/.test(read.stdout.trim()) ? BigInt(read.stdout.trim()) : undefined;
  }, 120_000);
  await client.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  await waitFor("the instance to terminate", async () => {
    const described = await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    return described.Reservations?.[0]?.Instances?.[0]?.State?.Name === "terminated";
  }, 60_000);
  return Number(started - returnedNs) / 1e6;
}

try {
  await once();
  const figures: number[] = [];
  for (let index = 0; index < runs; index += 1) figures.push(await once());
  const sorted = [...figures].sort((a, b) => a - b);
  console.log(`user data start after RunInstances returned, ${runs} runs: p50 ${percentile(sorted, 0.5).toFixed(0)} ms, p99 ${percentile(sorted, 0.99).toFixed(0)} ms, min ${sorted[0]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms (goal ≤ ${goalMs} ms)`);
} finally {
  client.destroy();
  await moor.dispose();
}
