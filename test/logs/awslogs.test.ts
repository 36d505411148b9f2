// Issue 13: a plain pod carrying `moor.dev/awslogs` (as ECS task pods and Fargate pods may) has
// its container's output in the named log group and stream, read back with the aws CLI v1 and
// `moor logs tail` (and `--follow`, which prints new events as they come); a group that does not exist, unasked to create, is a Warning on the pod.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { aws, moorEntry, type MoorUnderTest, run, startMoor } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";

let moor: MoorUnderTest;

before(async () => {
  moor = await startMoor();
});
after(async () => {
  await kubectl(moor, ["delete", "pods", "--all", "--grace-period=1", "--wait=true"]);
  await moor?.dispose();
});

function pod(name: string, destination: object, script: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, annotations: { "moor.dev/awslogs": JSON.stringify({ app: destination }) } },
    spec: { restartPolicy: "Never", containers: [{ name: "app", image: "busybox", command: ["sh", "-c", script] }] },
  });
}

async function cli(args: string[]): Promise<string> {
  const result = await aws(moor, ["--endpoint-url", moor.awsEndpoint, ...args]);
  assert.equal(result.code, 0, `aws ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

describe("the awslogs shipper", () => {
  it("ships a pod's stdout and stderr lines, with their times, to the group and stream the annotation names", async () => {
    const before = Date.now();
    await kubectlOk(moor, ["apply", "-f", "-"], pod("shipped", { group: "/moor/pods", region: "us-east-1", stream: "pods/app/shipped", createGroup: true }, "echo one; echo two >&2; sleep 0.3; echo three"));
    const messages = await waitFor("three events in the stream", async () => {
      const result = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "logs", "get-log-events", "--log-group-name", "/moor/pods", "--log-stream-name", "pods/app/shipped", "--start-from-head", "--output", "json"]);
      if (result.code !== 0) return undefined;
      const events = JSON.parse(result.stdout).events as { message: string; timestamp: number }[];
      return events.length === 3 ? events : undefined;
    });
    assert.deepEqual(messages.map((event) => event.message), ["one", "two", "three"]);
    assert.ok(messages.every((event) => event.timestamp >= before - 1000 && event.timestamp <= Date.now()));
    const filtered = await cli(["logs", "filter-log-events", "--log-group-name", "/moor/pods", "--filter-pattern", "two", "--query", "events[].message", "--output", "text"]);
    assert.equal(filtered, "two");
    const tail = await run(process.execPath, [moorEntry, "logs", "tail", "/moor/pods"], { env: moor.env });
    assert.equal(tail.code, 0, tail.stderr);
    assert.match(tail.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+\+00:00 pods\/app\/shipped one\n.* pods\/app\/shipped two\n.* pods\/app\/shipped three\n$/);
    const follower = spawn(process.execPath, [moorEntry, "logs", "tail", "--follow", "/moor/pods"], { env: moor.env });
    let followed = "";
    follower.stdout.on("data", (chunk) => (followed += chunk));
    try {
      await waitFor("the followed tail's first lines", () => followed.includes("three"));
      await kubectlOk(moor, ["apply", "-f", "-"], pod("later", { group: "/moor/pods", region: "us-east-1", stream: "pods/app/later", createGroup: true }, "echo four"));
      await waitFor("a new event in the followed tail", () => / pods\/app\/later four\n/.test(followed));
    } finally {
      follower.kill();
    }
  });

  it("reports a group that does not exist as a Warning event on the pod, in the ECS agent's words", async () => {
    await kubectlOk(moor, ["apply", "-f", "-"], pod("unshipped", { group: "/moor/missing", region: "us-east-1", stream: "s", createGroup: false }, "echo lost"));
    const event = await waitFor("the pod's warning", async () => {
      const events = await kubectlJson(moor, ["get", "events", "--field-selector", "involvedObject.name=unshipped", "-o", "json"]);
      return events.items.find((item: any) => item.reason === "AwsLogsFailed");
    });
    assert.equal(event.type, "Warning");
    assert.match(event.message, /^ResourceInitializationError: failed to validate logger args: .*ResourceNotFoundException: The specified log group does not exist\./);
  });
});
