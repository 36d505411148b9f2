// The CloudWatch Logs service over the in-memory store and the real log engine (SQLite in
// memory), with a fake clock: groups, streams, events in time order with AWS's tokens, filter
// patterns, retention and tags, and AWS's error codes and texts.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { openLogEngine } from "../../src/engines/logs/mod.js";
import { isMoorError, type MoorError } from "../../src/errors/mod.js";
import { createLogsService, type LogsService } from "../../src/services/logs/mod.js";
import { createMemoryStore } from "../../src/store/mod.js";

const call = { region: "eu-west-1", accountId: "123456789012", requestId: "r" };
const start = Date.parse("2026-03-01T10:00:00Z");
let now: number;
let logs: LogsService;

beforeEach(() => {
  now = start;
  logs = createLogsService({ store: createMemoryStore(), events: openLogEngine(":memory:"), region: "eu-west-1", accountId: "123456789012", now: () => now });
});

const op = (name: string, input: object) => (logs.operations as any)[name](input, call);

function refusal(name: string, input: object): MoorError {
  try {
    op(name, input);
  } catch (error) {
    if (isMoorError(error)) return error;
    throw error;
  }
  return assert.fail(`expected ${name} to be refused`);
}

function put(group: string, stream: string, messages: string[], at = now): void {
  op("PutLogEvents", { logGroupName: group, logStreamName: stream, logEvents: messages.map((message, index) => ({ timestamp: at + index, message })) });
}

describe("log groups", () => {
  it("CreateLogGroup refuses a second group of the same name with AWS's code and text", () => {
    op("CreateLogGroup", { logGroupName: "/ecs/web" });
    const error = refusal("CreateLogGroup", { logGroupName: "/ecs/web" });
    assert.deepEqual([error.code, error.message], ["ResourceAlreadyExistsException", "The specified log group already exists"]);
  });

  it("DescribeLogGroups filters by prefix and pages by limit and nextToken", () => {
    for (const name of ["/ecs/a", "/ecs/b", "/ecs/c", "/other"]) op("CreateLogGroup", { logGroupName: name });
    const first = op("DescribeLogGroups", { logGroupNamePrefix: "/ecs/", limit: 2 });
    assert.deepEqual(first.logGroups.map((group: any) => group.logGroupName), ["/ecs/a", "/ecs/b"]);
    const second = op("DescribeLogGroups", { logGroupNamePrefix: "/ecs/", limit: 2, nextToken: first.nextToken });
    assert.deepEqual(second.logGroups.map((group: any) => group.logGroupName), ["/ecs/c"]);
    assert.equal(second.nextToken, undefined);
    const [group] = first.logGroups;
    assert.equal(group.arn, "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/a:*");
    assert.equal(group.logGroupArn, "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/a");
    assert.equal(group.creationTime, start);
  });

  it("PutRetentionPolicy takes only AWS's day values; DeleteRetentionPolicy removes it", () => {
    op("CreateLogGroup", { logGroupName: "g" });
    assert.match(refusal("PutRetentionPolicy", { logGroupName: "g", retentionInDays: 2 }).message, /Value '2' at 'retentionInDays' failed to satisfy constraint/);
    op("PutRetentionPolicy", { logGroupName: "g", retentionInDays: 7 });
    assert.equal(op("DescribeLogGroups", {}).logGroups[0].retentionInDays, 7);
    op("DeleteRetentionPolicy", { logGroupName: "g" });
    assert.equal(op("DescribeLogGroups", {}).logGroups[0].retentionInDays, undefined);
    const missing = refusal("PutRetentionPolicy", { logGroupName: "nope", retentionInDays: 7 });
    assert.deepEqual([missing.code, missing.message], ["ResourceNotFoundException", "The specified log group does not exist."]);
  });

  it("retention drops events older than the group keeps", () => {
    op("CreateLogGroup", { logGroupName: "g" });
    op("CreateLogStream", { logGroupName: "g", logStreamName: "s" });
    put("g", "s", ["old"]);
    now += 2 * 86_400_000;
    put("g", "s", ["new"]);
    op("PutRetentionPolicy", { logGroupName: "g", retentionInDays: 1 });
    assert.equal(logs.expireEvents(), 1);
    assert.deepEqual(op("GetLogEvents", { logGroupName: "g", logStreamName: "s" }).events.map((event: any) => event.message), ["new"]);
  });

  it("tags by the group's ARN and by its name are the same tags", () => {
    op("CreateLogGroup", { logGroupName: "g", tags: { team: "storage" } });
    const arn = "arn:aws:logs:eu-west-1:123456789012:log-group:g";
    op("TagResource", { resourceArn: arn, tags: { env: "dev" } });
    assert.deepEqual(op("ListTagsLogGroup", { logGroupName: "g" }).tags, { team: "storage", env: "dev" });
    op("UntagLogGroup", { logGroupName: "g", tags: ["team"] });
    assert.deepEqual(op("ListTagsForResource", { resourceArn: `${arn}:*` }).tags, { env: "dev" });
    assert.equal(refusal("ListTagsForResource", { resourceArn: "arn:aws:logs:eu-west-1:123456789012:log-group:nope" }).code, "ResourceNotFoundException");
  });

  it("DeleteLogGroup removes its streams and events; a new group of that name starts empty", () => {
    op("CreateLogGroup", { logGroupName: "g" });
    op("CreateLogStream", { logGroupName: "g", logStreamName: "s" });
    put("g", "s", ["one"]);
    op("DeleteLogGroup", { logGroupName: "g" });
    assert.equal(refusal("DeleteLogGroup", { logGroupName: "g" }).code, "ResourceNotFoundException");
    op("CreateLogGroup", { logGroupName: "g" });
    assert.deepEqual(op("DescribeLogStreams", { logGroupName: "g" }).logStreams, []);
  });
});

describe("log streams and events", () => {
  beforeEach(() => {
    op("CreateLogGroup", { logGroupName: "g" });
    op("CreateLogStream", { logGroupName: "g", logStreamName: "web/app/1" });
  });

  it("CreateLogStream refuses a duplicate, and a missing group, with AWS's texts", () => {
    assert.equal(refusal("CreateLogStream", { logGroupName: "g", logStreamName: "web/app/1" }).message, "The specified log stream already exists");
    assert.equal(refusal("CreateLogStream", { logGroupName: "nope", logStreamName: "s" }).message, "The specified log group does not exist.");
  });

  it("PutLogEvents into a missing stream is ResourceNotFoundException; an unordered batch is refused", () => {
    const missing = refusal("PutLogEvents", { logGroupName: "g", logStreamName: "nope", logEvents: [{ timestamp: now, message: "x" }] });
    assert.deepEqual([missing.code, missing.message], ["ResourceNotFoundException", "The specified log stream does not exist."]);
    const unordered = refusal("PutLogEvents", { logGroupName: "g", logStreamName: "web/app/1", logEvents: [{ timestamp: now, message: "b" }, { timestamp: now - 1, message: "a" }] });
    assert.equal(unordered.code, "InvalidParameterException");
  });

  it("PutLogEvents leaves out events too old and too new and says which", () => {
    const day = 86_400_000;
    const batch = (events: { timestamp: number; message: string }[]) => op("PutLogEvents", { logGroupName: "g", logStreamName: "web/app/1", logEvents: events });
    assert.deepEqual(batch([{ timestamp: now - 14 * day - 2000, message: "old" }, { timestamp: now - 14 * day - 1000, message: "older" }, { timestamp: now - 14 * day + 60_000, message: "kept" }]).rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
    assert.deepEqual(batch([{ timestamp: now, message: "now" }, { timestamp: now + 3 * 3_600_000, message: "future" }]).rejectedLogEventsInfo, { tooNewLogEventStartIndex: 1 });
    assert.deepEqual(op("GetLogEvents", { logGroupName: "g", logStreamName: "web/app/1" }).events.map((event: any) => event.message), ["kept", "now"]);
  });

  it("GetLogEvents gives the newest events by default and the oldest with startFromHead", () => {
    put("g", "web/app/1", ["1", "2", "3", "4", "5"]);
    const tail = op("GetLogEvents", { logGroupName: "g", logStreamName: "web/app/1", limit: 2 });
    assert.deepEqual(tail.events.map((event: any) => event.message), ["4", "5"]);
    const head = op("GetLogEvents", { logGroupName: "g", logStreamName: "web/app/1", limit: 2, startFromHead: true });
    assert.deepEqual(head.events.map((event: any) => event.message), ["1", "2"]);
    assert.deepEqual(head.events[0], { timestamp: start, message: "1", ingestionTime: start });
    assert.match(head.nextForwardToken, /^f\/\d{36}$/);
    assert.match(head.nextBackwardToken, /^b\/\d{36}$/);
  });

  it("a forward token continues where the last page ended and comes back unchanged at the end", () => {
    put("g", "web/app/1", ["1", "2", "3"]);
    const first = op("GetLogEvents", { logGroupName: "g", logStreamName: "web/app/1", limit: 2, startFromHead: true });
    const second = op("GetLogEvents", { logGroupName: "g", logStreamName: "web/app/1", limit: 2, nextToken: first.nextForwardToken });
    assert.deepEqual(second.events.map((event: any) => event.message), ["3"]);
    const end = op("GetLogEvents", { logGroupName: "g", logStreamName: "web/app/1", nextToken: second.nextForwardToken });
    assert.deepEqual([end.events, end.nextForwardToken], [[], second.nextForwardToken]);
    put("g", "web/app/1", ["4"], now + 10);
    assert.deepEqual(op("GetLogEvents", { logGroupName: "g", logStreamName: "web/app/1", nextToken: end.nextForwardToken }).events.map((event: any) => event.message), ["4"]);
    const back = op("GetLogEvents", { logGroupName: "g", logStreamName: "web/app/1", limit: 1, nextToken: second.nextBackwardToken });
    assert.deepEqual(back.events.map((event: any) => event.message), ["2"]);
  });

  it("DescribeLogStreams orders by name or by last event time and reports the stream's times", () => {
    op("CreateLogStream", { logGroupName: "g", logStreamName: "web/app/2" });
    put("g", "web/app/2", ["x"]);
    now += 1000;
    put("g", "web/app/1", ["y"]);
    const byName = op("DescribeLogStreams", { logGroupName: "g", logStreamNamePrefix: "web/" });
    assert.deepEqual(byName.logStreams.map((stream: any) => stream.logStreamName), ["web/app/1", "web/app/2"]);
    const byTime = op("DescribeLogStreams", { logGroupName: "g", orderBy: "LastEventTime", descending: true, limit: 1 });
    assert.deepEqual(byTime.logStreams.map((stream: any) => [stream.logStreamName, stream.lastEventTimestamp]), [["web/app/1", start + 1000]]);
    assert.ok(byTime.nextToken);
    assert.equal(byTime.logStreams[0].arn, "arn:aws:logs:eu-west-1:123456789012:log-group:g:log-stream:web/app/1");
    assert.equal(refusal("DescribeLogStreams", { logGroupName: "g", orderBy: "LastEventTime", logStreamNamePrefix: "w" }).code, "InvalidParameterException");
  });
});

describe("FilterLogEvents", () => {
  beforeEach(() => {
    op("CreateLogGroup", { logGroupName: "g" });
    op("CreateLogStream", { logGroupName: "g", logStreamName: "a" });
    op("CreateLogStream", { logGroupName: "g", logStreamName: "b" });
    put("g", "a", ["ERROR disk full", "INFO started", "WARN connection refused"]);
    put("g", "b", ["ERROR Retrying connection", "info error lower"], now + 10);
  });

  const messages = (input: object) => op("FilterLogEvents", { logGroupName: "g", ...input }).events.map((event: any) => event.message);

  it("matches plain terms (all of them, case-sensitive) across the group's streams in time order", () => {
    assert.deepEqual(messages({ filterPattern: "ERROR" }), ["ERROR disk full", "ERROR Retrying connection"]);
    assert.deepEqual(messages({ filterPattern: "ERROR connection" }), ["ERROR Retrying connection"]);
    assert.deepEqual(messages({}).length, 5);
  });

  it("matches quoted phrases, optional terms, exclusions and a regular expression", () => {
    assert.deepEqual(messages({ filterPattern: '"connection refused"' }), ["WARN connection refused"]);
    assert.deepEqual(messages({ filterPattern: "?WARN ?INFO" }), ["INFO started", "WARN connection refused"]);
    assert.deepEqual(messages({ filterPattern: "ERROR -Retrying" }), ["ERROR disk full"]);
    assert.deepEqual(messages({ filterPattern: "%^info%" }), ["info error lower"]);
  });

  it("narrows by stream names and time, pages with nextToken, and refuses JSON patterns by name", () => {
    assert.deepEqual(messages({ logStreamNames: ["b"] }), ["ERROR Retrying connection", "info error lower"]);
    assert.deepEqual(messages({ startTime: start + 10 }), ["ERROR Retrying connection", "info error lower"]);
    const first = op("FilterLogEvents", { logGroupName: "g", limit: 3 });
    const second = op("FilterLogEvents", { logGroupName: "g", limit: 3, nextToken: first.nextToken });
    assert.deepEqual([first.events.length, second.events.length, second.nextToken], [3, 2, undefined]);
    assert.equal(first.events[0].eventId.length, 56);
    assert.equal(refusal("FilterLogEvents", { logGroupName: "g", filterPattern: "{ $.level = \"x\" }" }).code, "InvalidParameterException");
  });
});
