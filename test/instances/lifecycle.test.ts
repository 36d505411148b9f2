// Issue 13: EC2 instances as sandboxes, driven by the aws CLI v1 and @aws-sdk/client-ec2: run
// with user data (a `#!` script run once, as root, at first boot, its output on the console,
// get-console-output, and in /var/log/cloud-init-output.log), describe with the filters Terraform and the CLI use, stop,
// start (the user data does not run again), terminate; and the documented errors.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { aws, type MoorUnderTest, startMoor } from "../harness.js";
import { terminateAll } from "./_instances.js";
import { kubectl, kubectlOk, waitFor } from "../kubectl.js";

let moor: MoorUnderTest;
let client: EC2Client;

before(async () => {
  moor = await startMoor();
  client = new EC2Client({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" }, maxAttempts: 1 });
});
after(async () => {
  client?.destroy();
  try {
    if (moor) await terminateAll(moor);
  } finally {
    await moor?.dispose();
  }
});

async function cli(args: string[]): Promise<string> {
  const result = await aws(moor, ["--endpoint-url", moor.awsEndpoint, ...args]);
  assert.equal(result.code, 0, `aws ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

const stateOf = (id: string) => cli(["ec2", "describe-instances", "--instance-ids", id, "--query", "Reservations[0].Instances[0].State.Name", "--output", "text"]);

describe("EC2 instances with the aws CLI v1", () => {
  let id = "";

  it("run-instances with user data: the script runs as root at first boot, its output on the console", async () => {
    const script = join(moor.home, "user-data.sh");
    writeFileSync(script, "#!/bin/bash\necho \"user data ran as $(id -un)\"\necho booted >> /var/tmp/boots\n");
    const subnet = await cli(["ec2", "describe-subnets", "--filters", "Name=tag:kubernetes.io/role/internal-elb,Values=1", "--query", "Subnets[0].SubnetId", "--output", "text"]);
    const run = JSON.parse(await cli(["ec2", "run-instances", "--image-id", "ami-0abcdef1234567890", "--instance-type", "t3.micro", "--count", "1", "--subnet-id", subnet, "--key-name", "mykey",
      "--user-data", `file://${script}`, "--tag-specifications", "ResourceType=instance,Tags=[{Key=Name,Value=writer}]", "--output", "json"]));
    id = run.Instances[0].InstanceId;
    assert.match(id, /^i-[0-9a-f]{17}$/);
    assert.equal(run.Instances[0].State.Name, "pending");
    assert.equal(run.Instances[0].SubnetId, subnet);
    await waitFor("the instance to run", async () => (await stateOf(id)) === "running", 90_000);
    const described = JSON.parse(await cli(["ec2", "describe-instances", "--filters", "Name=tag:Name,Values=writer", "Name=instance-state-name,Values=running", "--output", "json"]));
    const instance = described.Reservations[0].Instances[0];
    assert.equal(instance.InstanceId, id);
    assert.match(instance.PrivateIpAddress, /^10\.42\.\d+\.\d+$/);
    assert.equal(instance.KeyName, "mykey");
    assert.equal(instance.InstanceType, "t3.micro");
    const output = await waitFor("the user data's output", async () => {
      const result = await kubectl(moor, ["exec", "-n", "aws-ec2", id, "--", "cat", "/var/log/cloud-init-output.log"]);
      return result.code === 0 && result.stdout.includes("user data ran") ? result.stdout : undefined;
    });
    assert.equal(output, "user data ran as root\n");
    assert.match(await kubectlOk(moor, ["logs", "-n", "aws-ec2", id]), /user data ran as root/);
    const console = await cli(["ec2", "get-console-output", "--instance-id", id, "--query", "Output", "--output", "text"]);
    assert.match(console, /user data ran as root/);
    const userData = await cli(["ec2", "describe-instance-attribute", "--instance-id", id, "--attribute", "userData", "--query", "UserData.Value", "--output", "text"]);
    assert.match(Buffer.from(userData, "base64").toString(), /^#!\/bin\/bash\necho "user data ran/);
  });

  it("stop-instances then start-instances: stopped, then running again, without the user data again", async () => {
    const stopping = JSON.parse(await cli(["ec2", "stop-instances", "--instance-ids", id, "--output", "json"]));
    assert.deepEqual([stopping.StoppingInstances[0].PreviousState.Name, stopping.StoppingInstances[0].CurrentState.Name], ["running", "stopping"]);
    await waitFor("the instance to stop", async () => (await stateOf(id)) === "stopped", 60_000);
    const starting = JSON.parse(await cli(["ec2", "start-instances", "--instance-ids", id, "--output", "json"]));
    assert.deepEqual([starting.StartingInstances[0].PreviousState.Name, starting.StartingInstances[0].CurrentState.Name], ["stopped", "pending"]);
    await waitFor("the instance to run again", async () => (await stateOf(id)) === "running", 60_000);
    const logs = await kubectlOk(moor, ["logs", "-n", "aws-ec2", id]);
    assert.doesNotMatch(logs, /user data ran/);
  });

  it("terminate-instances: shutting-down, then terminated, still described", async () => {
    const terminating = JSON.parse(await cli(["ec2", "terminate-instances", "--instance-ids", id, "--output", "json"]));
    assert.equal(terminating.TerminatingInstances[0].CurrentState.Name, "shutting-down");
    await waitFor("the instance to terminate", async () => (await stateOf(id)) === "terminated", 60_000);
    const gone = await kubectl(moor, ["get", "pod", "-n", "aws-ec2", id]);
    assert.notEqual(gone.code, 0);
    const start = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "ec2", "start-instances", "--instance-ids", id]);
    assert.equal(start.code, 255);
    assert.match(start.stderr, /IncorrectInstanceState/);
  });

  it("names an instance that does not exist and a malformed AMI id as EC2 does", async () => {
    const missing = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "ec2", "describe-instances", "--instance-ids", "i-0123456789abcdef0"]);
    assert.match(missing.stderr, /InvalidInstanceID\.NotFound.*The instance ID 'i-0123456789abcdef0' does not exist/);
    const malformed = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "ec2", "run-instances", "--image-id", "ubuntu", "--count", "1"]);
    assert.match(malformed.stderr, /InvalidAMIID\.Malformed/);
  });
});

describe("EC2 instances with @aws-sdk/client-ec2", () => {
  it("RunInstances with MinCount/MaxCount 2 makes one reservation of two; DescribeInstances reads them back", async () => {
    const run = await client.send(new RunInstancesCommand({ ImageId: "ami-12345678", MinCount: 2, MaxCount: 2, InstanceType: "t3.nano" }));
    const ids = run.Instances!.map((instance) => instance.InstanceId!);
    assert.equal(ids.length, 2);
    assert.deepEqual(run.Instances!.map((instance) => instance.AmiLaunchIndex), [0, 1]);
    const described = await client.send(new DescribeInstancesCommand({ Filters: [{ Name: "instance-id", Values: ids }] }));
    assert.equal(described.Reservations?.length, 1);
    assert.deepEqual(described.Reservations![0]!.Instances!.map((instance) => instance.InstanceId).sort(), [...ids].sort());
    assert.ok(described.Reservations![0]!.Instances![0]!.LaunchTime instanceof Date);
    assert.equal(described.Reservations![0]!.Instances![0]!.SecurityGroups![0]!.GroupName, "default");
    const terminated = await client.send(new TerminateInstancesCommand({ InstanceIds: ids }));
    assert.deepEqual(terminated.TerminatingInstances!.map((change) => change.CurrentState?.Name), ["shutting-down", "shutting-down"]);
  });
});
