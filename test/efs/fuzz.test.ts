// Fuzz-style robustness of the AWS endpoint: malformed bodies, wrong member types, missing
// members, oversized input, junk ids in paths, junk query values, unknown routes and broken
// HTTP. Every answer must be a 4xx in AWS's shape (x-amzn-ErrorType header, JSON body with
// ErrorCode and Message), and the server must go on serving. Inputs come from a seeded generator
// so a failure can be replayed.

import assert from "node:assert/strict";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { CreateAccessPointCommand, CreateFileSystemCommand, CreateMountTargetCommand, DescribeFileSystemsCommand, type EFSClient } from "@aws-sdk/client-efs";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { efsClient, waitAvailable } from "./_efs.js";

type MemberType = "string" | "number" | "boolean" | "list" | "structure";

interface Template {
  method: string;
  path: string;
  body?: Record<string, unknown>;
  members?: Record<string, MemberType>;
  required?: string[];
  /** Whether the request with its valid body is safe to mutate per member (no label left valid-and-destructive). */
}

let moor: MoorUnderTest;
let client: EFSClient;
let agent: Agent;
const ids = { fs: "", ap: "", mt: "" };

before(async () => {
  moor = await startMoor();
  client = efsClient(moor);
  agent = new Agent({ keepAlive: true, maxSockets: 16 });
  ids.fs = (await client.send(new CreateFileSystemCommand({ CreationToken: "fuzz" }))).FileSystemId!;
  await waitAvailable(client, ids.fs);
  ids.ap = (await client.send(new CreateAccessPointCommand({ FileSystemId: ids.fs }))).AccessPointId!;
  ids.mt = (await client.send(new CreateMountTargetCommand({ FileSystemId: ids.fs, SubnetId: "subnet-042a0000000000001" }))).MountTargetId!;
});
after(async () => {
  agent.destroy();
  client.destroy();
  await moor.dispose();
});

function templates(): Template[] {
  const fs = ids.fs;
  return [
    { method: "POST", path: "/2015-02-01/file-systems", body: { CreationToken: "t", Encrypted: true }, members: { CreationToken: "string", Encrypted: "boolean", Tags: "list", ProvisionedThroughputInMibps: "number" }, required: ["CreationToken"] },
    { method: "PUT", path: `/2015-02-01/file-systems/${fs}`, body: { ThroughputMode: "elastic" }, members: { ThroughputMode: "string", ProvisionedThroughputInMibps: "number" } },
    { method: "DELETE", path: `/2015-02-01/file-systems/${fs}` },
    { method: "POST", path: "/2015-02-01/access-points", body: { ClientToken: "c", FileSystemId: fs }, members: { ClientToken: "string", FileSystemId: "string", PosixUser: "structure", RootDirectory: "structure", Tags: "list" }, required: ["ClientToken", "FileSystemId"] },
    { method: "DELETE", path: `/2015-02-01/access-points/${ids.ap}` },
    { method: "POST", path: "/2015-02-01/mount-targets", body: { FileSystemId: fs, SubnetId: "subnet-042a0000000000002" }, members: { FileSystemId: "string", SubnetId: "string", IpAddress: "string", SecurityGroups: "list" }, required: ["FileSystemId", "SubnetId"] },
    { method: "DELETE", path: `/2015-02-01/mount-targets/${ids.mt}` },
    { method: "PUT", path: `/2015-02-01/mount-targets/${ids.mt}/security-groups`, body: { SecurityGroups: ["sg-042a0000000000001"] }, members: { SecurityGroups: "list" } },
    { method: "GET", path: `/2015-02-01/mount-targets/${ids.mt}/security-groups` },
    { method: "PUT", path: `/2015-02-01/file-systems/${fs}/policy`, body: { Policy: "{}" }, members: { Policy: "string", BypassPolicyLockoutSafetyCheck: "boolean" }, required: ["Policy"] },
    { method: "GET", path: `/2015-02-01/file-systems/${fs}/policy` },
    { method: "DELETE", path: `/2015-02-01/file-systems/${fs}/policy` },
    { method: "PUT", path: `/2015-02-01/file-systems/${fs}/lifecycle-configuration`, body: { LifecyclePolicies: [] }, members: { LifecyclePolicies: "list" }, required: ["LifecyclePolicies"] },
    { method: "PUT", path: `/2015-02-01/file-systems/${fs}/backup-policy`, body: { BackupPolicy: { Status: "ENABLED" } }, members: { BackupPolicy: "structure" }, required: ["BackupPolicy"] },
    { method: "PUT", path: `/2015-02-01/file-systems/${fs}/protection`, body: { ReplicationOverwriteProtection: "ENABLED" }, members: { ReplicationOverwriteProtection: "string" } },
    { method: "POST", path: `/2015-02-01/file-systems/${fs}/replication-configuration`, body: { Destinations: [] }, members: { Destinations: "list" }, required: ["Destinations"] },
    { method: "POST", path: `/2015-02-01/resource-tags/${fs}`, body: { Tags: [] }, members: { Tags: "list" }, required: ["Tags"] },
    { method: "DELETE", path: `/2015-02-01/resource-tags/${ids.ap}?tagKeys=a` },
    { method: "POST", path: `/2015-02-01/create-tags/${fs}`, body: { Tags: [] }, members: { Tags: "list" }, required: ["Tags"] },
    { method: "POST", path: `/2015-02-01/delete-tags/${fs}`, body: { TagKeys: ["a"] }, members: { TagKeys: "list" }, required: ["TagKeys"] },
    { method: "GET", path: `/2015-02-01/tags/${fs}/` },
    { method: "PUT", path: "/2015-02-01/account-preferences", body: { ResourceIdType: "LONG_ID" }, members: { ResourceIdType: "string" }, required: ["ResourceIdType"] },
    { method: "GET", path: "/2015-02-01/file-systems" },
    { method: "GET", path: "/2015-02-01/access-points" },
  ];
}

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const junk = (length: number) => Array.from({ length }, () => String.fromCharCode(pick([int(32), 32 + int(95), 0x80 + int(0x780), 0x4e00 + int(100)]))).join("");
  return { int, pick, junk };
}

const wrongValues: Record<MemberType, unknown[]> = {
  string: [42, true, [], {}, ["a"], { a: 1 }],
  number: ["12", true, [], {}, "NaN"],
  boolean: ["true", 1, [], {}],
  list: ["x", 1, true, { a: 1 }],
  structure: ["x", 1, true, [1, 2]],
};

interface Case {
  label: string;
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

function cases(seed: number, count: number): Case[] {
  const random = generator(seed);
  const list = templates();
  const result: Case[] = [];
  while (result.length < count) {
    const template = random.pick(list);
    const kind = random.int(10);
    const json = JSON.stringify(template.body ?? {});
    if (kind === 0) {
      const cut = json.slice(0, random.int(json.length)) + random.junk(random.int(8));
      // An empty body is a valid empty input, not a malformed one.
      const body = isJson(cut) || cut.trim() === "" ? `${cut}{` : cut;
      result.push({ label: "malformed JSON", method: template.method, path: template.path, body });
    } else if (kind === 1) {
      result.push({ label: "JSON that is not an object", method: template.method, path: template.path, body: random.pick(["[]", "1", '"x"', "null", "true", "[{}]"]) });
    } else if (kind === 2 && template.members) {
      const name = random.pick(Object.keys(template.members));
      const body = { ...template.body, [name]: random.pick(wrongValues[template.members[name]!]) };
      result.push({ label: `wrong type for ${name}`, method: template.method, path: template.path, body: JSON.stringify(body) });
    } else if (kind === 3 && template.required) {
      const body = { ...template.body };
      delete body[random.pick(template.required)];
      result.push({ label: "missing required member", method: template.method, path: template.path, body: JSON.stringify(body) });
    } else if (kind === 4 && template.members) {
      const strings = Object.entries(template.members).filter(([, type]) => type === "string");
      if (strings.length === 0) continue;
      const body = { ...template.body, [random.pick(strings)[0]]: "x".repeat(20_001 + random.int(50_000)) };
      result.push({ label: "string too long", method: template.method, path: template.path, body: JSON.stringify(body) });
    } else if (kind === 5) {
      const segments = template.path.split("?")[0]!.split("/");
      const labelIndex = segments.findIndex((segment) => /^fs(ap|mt)?-/.test(segment));
      if (labelIndex < 0) continue;
      segments[labelIndex] = encodeURIComponent(random.pick([random.junk(1 + random.int(40)), "fs-", "fs-ZZZZZZZZ", "..", "fsap-123", "x".repeat(300), "arn:aws:elasticfilesystem:us-east-1:1:file-system/fs-1"]));
      result.push({ label: "junk id in the path", method: template.method, path: segments.join("/"), body: template.body ? json : undefined });
    } else if (kind === 6) {
      const [base, parameters] = random.pick(Object.entries(queryParameters(ids.fs)));
      const parameter = random.pick(parameters);
      const value = random.pick(badQueryValues[parameter]!(random.junk(10)));
      result.push({ label: `junk ${parameter}`, method: "GET", path: `${base}?${parameter}=${encodeURIComponent(value)}` });
    } else if (kind === 7) {
      result.push({
        label: "unknown route",
        method: random.pick(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
        path: random.pick(["/", "/2015-02-01", "/2015-02-01/", `/2015-02-01/${encodeURIComponent(random.junk(6))}`, `/${encodeURIComponent(random.junk(12))}`, "/2015-02-01/file-systems/x/y/z/w"]),
      });
    } else if (kind === 8) {
      result.push({ label: "broken percent-encoding", method: "GET", path: random.pick(["/2015-02-01/file-systems/%zz", "/2015-02-01/access-points/%E0%A4%A", `/2015-02-01/resource-tags/%`, "/2015-02-01/tags/%C0%AF/"]) });
    } else if (kind === 9) {
      result.push({ label: "wrong method on a known path", method: random.pick(["PATCH", "POST"]), path: `/2015-02-01/file-systems/${ids.fs}/lifecycle-configuration` });
    }
  }
  return result;
}

/** The query parameters each list operation reads (others are ignored, as AWS ignores them). */
function queryParameters(fileSystemId: string): Record<string, string[]> {
  return {
    "/2015-02-01/file-systems": ["MaxItems", "Marker", "CreationToken", "FileSystemId"],
    "/2015-02-01/access-points": ["MaxResults", "NextToken", "AccessPointId", "FileSystemId"],
    "/2015-02-01/mount-targets": ["MaxItems", "Marker", "FileSystemId", "MountTargetId", "AccessPointId"],
    [`/2015-02-01/tags/${fileSystemId}/`]: ["MaxItems", "Marker"],
  };
}

const badCounts = () => ["abc", "0", "-5", "1.5", "99999999999999999999", ""];
const badIds = (junk: string) => ["", junk, "fs-xyz", "fsap-", "x".repeat(200)];
const badTokens = () => ["", "x".repeat(200)];
const badQueryValues: Record<string, (junk: string) => string[]> = {
  MaxItems: badCounts,
  MaxResults: badCounts,
  FileSystemId: badIds,
  AccessPointId: badIds,
  MountTargetId: badIds,
  CreationToken: () => ["", "x".repeat(200), "no-such-token"],
  Marker: badTokens,
  NextToken: badTokens,
};

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function send(moorCase: Case): Promise<Answer> {
  const url = new URL(moor.awsEndpoint);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: moorCase.method,
        path: moorCase.path,
        agent,
        // Node frames a GET or DELETE body only when told its length.
        headers: { "content-type": "application/json", ...(moorCase.body === undefined ? {} : { "content-length": String(Buffer.byteLength(moorCase.body)) }), ...moorCase.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(moorCase.body);
  });
}

function assertAwsError(answer: Answer, what: string): void {
  assert.ok(answer.status >= 400 && answer.status < 500, `${what}: status ${answer.status} ${answer.text}`);
  const code = answer.headers["x-amzn-errortype"];
  assert.ok(typeof code === "string" && code.length > 0, `${what}: no x-amzn-ErrorType header`);
  const body = JSON.parse(answer.text);
  assert.equal(body.ErrorCode, code, `${what}: body ErrorCode`);
  assert.equal(typeof body.Message, "string", `${what}: body Message`);
}

describe("the AWS endpoint under malformed input", () => {
  it("answers 1,000 generated bad requests with 4xx errors in AWS's shape", async () => {
    const all = cases(20261122, 1000);
    for (let start = 0; start < all.length; start += 20) {
      const batch = all.slice(start, start + 20);
      const answers = await Promise.all(batch.map(send));
      answers.forEach((answer, index) => assertAwsError(answer, `${batch[index]!.label}: ${batch[index]!.method} ${batch[index]!.path.slice(0, 120)}`));
    }
    const labels = new Set(all.map((moorCase) => moorCase.label.replace(/ for \w+| \w+Id| Max\w+| Marker| CreationToken/, "")));
    assert.ok(labels.size >= 9, `the generator covered ${[...labels].join(", ")}`);
  });

  it("refuses a body over 1 MiB and keeps serving", async () => {
    const huge = Buffer.concat([Buffer.from('{"CreationToken":"'), Buffer.alloc(2 * 1024 * 1024, 0x61), Buffer.from('"}')]);
    assertAwsError(await send({ label: "huge", method: "POST", path: "/2015-02-01/file-systems", body: huge }), "2 MiB body");
    assertAwsError(await send({ label: "deep", method: "POST", path: "/2015-02-01/file-systems", body: "[".repeat(100_000) }), "deeply nested JSON");
  });

  it("answers broken HTTP with a 4xx in AWS's shape", async () => {
    for (const raw of ["GARBAGE\r\n\r\n", `GET /2015-02-01/file-systems HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"]) {
      const text = await rawExchange(raw);
      const [head, body] = text.split("\r\n\r\n");
      assert.match(head!, /^HTTP\/1\.1 4\d\d /, text.slice(0, 200));
      assert.match(head!, /x-amzn-ErrorType: BadRequest/i);
      assert.equal(JSON.parse(body!).ErrorCode, "BadRequest");
    }
  });

  it("still serves well-formed requests, and never failed internally", async () => {
    const { FileSystems } = await client.send(new DescribeFileSystemsCommand({ FileSystemId: ids.fs }));
    assert.equal(FileSystems?.[0]?.FileSystemId, ids.fs);
    assert.doesNotMatch(moor.output(), /AWS request .* failed/);
  });
});

function rawExchange(raw: string): Promise<string> {
  const url = new URL(moor.awsEndpoint);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(raw));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.on("error", reject);
  });
}
