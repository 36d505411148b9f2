// Issue 13: CloudWatch Logs against a real Moor, through @aws-sdk/client-cloudwatch-logs (strict
// JSON parsing, its GetLogEvents paginator) and the aws CLI v1 (`logs create-log-group`,
// `put-log-events`, `get-log-events`, `filter-log-events`), success and documented errors;
// `aws logs tail` and `--follow` with aws-cli v2; the events survive a restart of Moor.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand,
  FilterLogEventsCommand, ListTagsForResourceCommand, paginateGetLogEvents, PutLogEventsCommand, PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { aws, type MoorUnderTest, run, startMoor } from "../harness.js";
import { waitFor } from "../kubectl.js";

/** aws-cli v2 from Debian's awscli package: v1 (the `aws` on the PATH) has no `logs tail`. */
const awsV2 = "/usr/bin/aws";

let moor: MoorUnderTest;
let client: CloudWatchLogsClient;

before(async () => {
  moor = await startMoor();
  client = new CloudWatchLogsClient({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" }, maxAttempts: 1 });
});
after(async () => {
  client?.destroy();
  await moor?.dispose();
});

async function cli(args: string[]): Promise<string> {
  const result = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "--region", "us-east-1", ...args]);
  assert.equal(result.code, 0, `aws ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

describe("CloudWatch Logs with @aws-sdk/client-cloudwatch-logs", () => {
  it("creates a group with tags and retention, and describes it with epoch-millisecond times", async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName: "/ecs/web", tags: { team: "web" } }));
    await client.send(new PutRetentionPolicyCommand({ logGroupName: "/ecs/web", retentionInDays: 14 }));
    const { logGroups } = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/ecs/" }));
    assert.equal(logGroups?.length, 1);
    assert.equal(logGroups![0]!.retentionInDays, 14);
    assert.ok(Math.abs(logGroups![0]!.creationTime! - Date.now()) < 60_000);
    const { tags } = await client.send(new ListTagsForResourceCommand({ resourceArn: logGroups![0]!.logGroupArn! }));
    assert.deepEqual(tags, { team: "web" });
    await assert.rejects(client.send(new CreateLogGroupCommand({ logGroupName: "/ecs/web" })), (error: any) => {
      assert.equal(error.name, "ResourceAlreadyExistsException");
      assert.equal(error.message, "The specified log group already exists");
      return true;
    });
  });

  it("puts events and reads them back whole with the GetLogEvents paginator, which stops when the token comes back unchanged", async () => {
    await client.send(new CreateLogStreamCommand({ logGroupName: "/ecs/web", logStreamName: "web/app/1" }));
    const base = Date.now();
    const events = Array.from({ length: 25 }, (_, index) => ({ timestamp: base + index, message: `line ${index}` }));
    const put = await client.send(new PutLogEventsCommand({ logGroupName: "/ecs/web", logStreamName: "web/app/1", logEvents: events }));
    assert.ok(put.nextSequenceToken);
    const read: string[] = [];
    for await (const page of paginateGetLogEvents({ client, pageSize: 10, stopOnSameToken: true }, { logGroupName: "/ecs/web", logStreamName: "web/app/1", startFromHead: true })) {
      read.push(...(page.events ?? []).map((event) => event.message!));
    }
    assert.deepEqual(read, events.map((event) => event.message));
    const { logStreams } = await client.send(new DescribeLogStreamsCommand({ logGroupName: "/ecs/web" }));
    assert.equal(logStreams![0]!.lastEventTimestamp, base + 24);
  });

  it("filters a group's events by a term and by a quoted phrase", async () => {
    await client.send(new CreateLogStreamCommand({ logGroupName: "/ecs/web", logStreamName: "web/app/2" }));
    await client.send(new PutLogEventsCommand({ logGroupName: "/ecs/web", logStreamName: "web/app/2", logEvents: [{ timestamp: Date.now(), message: "GET /index.html 200" }, { timestamp: Date.now() + 1, message: "GET /missing 404" }] }));
    const { events } = await client.send(new FilterLogEventsCommand({ logGroupName: "/ecs/web", filterPattern: '"/missing 404"' }));
    assert.deepEqual(events?.map((event) => [event.logStreamName, event.message]), [["web/app/2", "GET /missing 404"]]);
  });

  it("names a missing group and a missing stream as AWS does", async () => {
    await assert.rejects(client.send(new PutLogEventsCommand({ logGroupName: "/nope", logStreamName: "s", logEvents: [{ timestamp: Date.now(), message: "x" }] })), (error: any) => {
      assert.equal(error.name, "ResourceNotFoundException");
      assert.equal(error.message, "The specified log group does not exist.");
      return true;
    });
    await assert.rejects(client.send(new PutLogEventsCommand({ logGroupName: "/ecs/web", logStreamName: "nope", logEvents: [{ timestamp: Date.now(), message: "x" }] })), /The specified log stream does not exist\./);
  });
});

describe("CloudWatch Logs with the aws CLI v1", () => {
  it("create-log-group, create-log-stream, put-log-events, get-log-events and filter-log-events", async () => {
    await cli(["logs", "create-log-group", "--log-group-name", "cli-group"]);
    await cli(["logs", "create-log-stream", "--log-group-name", "cli-group", "--log-stream-name", "s1"]);
    const now = Date.now();
    await cli(["logs", "put-log-events", "--log-group-name", "cli-group", "--log-stream-name", "s1", "--log-events", `timestamp=${now},message=hello world`, `timestamp=${now + 1},message=ERROR failed`]);
    const got = JSON.parse(await cli(["logs", "get-log-events", "--log-group-name", "cli-group", "--log-stream-name", "s1", "--start-from-head", "--output", "json"]));
    assert.deepEqual(got.events.map((event: any) => event.message), ["hello world", "ERROR failed"]);
    const text = await cli(["logs", "filter-log-events", "--log-group-name", "cli-group", "--filter-pattern", "ERROR", "--query", "events[].message", "--output", "text"]);
    assert.equal(text, "ERROR failed");
    const names = await cli(["logs", "describe-log-groups", "--query", "logGroups[].logGroupName", "--output", "text"]);
    assert.deepEqual(names.split(/\s+/), ["/ecs/web", "cli-group"]);
  });

  it("exits 255 with AWS's message for a group that does not exist", async () => {
    const result = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "--region", "us-east-1", "logs", "get-log-events", "--log-group-name", "nope", "--log-stream-name", "s"]);
    assert.equal(result.code, 255);
    assert.match(result.stderr, /An error occurred \(ResourceNotFoundException\) when calling the GetLogEvents operation: The specified log group does not exist\./);
  });

  it("`aws logs tail` (aws-cli v2, Debian's awscli) prints a group's events, and with --follow the ones put after it started", { skip: !existsSync(awsV2) && `no ${awsV2}` }, async () => {
    const env = { ...moor.env, AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const base = ["logs", "tail", "cli-group", "--endpoint-url", moor.awsEndpoint, "--region", "us-east-1", "--since", "1h", "--format", "short"];
    const once = await run(awsV2, base, { env });
    assert.equal(once.code, 0, once.stderr);
    assert.match(once.stdout, /hello world\n.*ERROR failed\n/);
    const follower = spawn(awsV2, [...base, "--follow"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let followed = "";
    follower.stdout.on("data", (chunk: Buffer) => (followed += chunk.toString()));
    try {
      await waitFor("tail --follow to print the events already there", async () => followed.includes("ERROR failed") || undefined, 30_000);
      await cli(["logs", "create-log-stream", "--log-group-name", "cli-group", "--log-stream-name", "s2"]);
      await cli(["logs", "put-log-events", "--log-group-name", "cli-group", "--log-stream-name", "s2", "--log-events", `timestamp=${Date.now()},message=after the tail started`]);
      await waitFor("tail --follow to print the new event", async () => followed.includes("after the tail started") || undefined, 30_000);
    } finally {
      follower.kill("SIGTERM");
    }
  });

  it("keeps events across a restart of Moor; delete-log-group removes them", async () => {
    await moor.stop();
    await moor.start();
    const text = await cli(["logs", "get-log-events", "--log-group-name", "cli-group", "--log-stream-name", "s1", "--query", "events[].message", "--output", "text"]);
    assert.equal(text, "hello world\tERROR failed");
    await client.send(new DeleteLogGroupCommand({ logGroupName: "cli-group" }));
    const names = await cli(["logs", "describe-log-groups", "--query", "logGroups[].logGroupName", "--output", "text"]);
    assert.equal(names, "/ecs/web");
  });
});
