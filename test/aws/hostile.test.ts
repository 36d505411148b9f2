// Hostile input across the four protocols: well over a thousand malformed requests (bad form
// encodings, wrong Content-Type, unknown Action and Target, missing required members, wrong
// types, out-of-range list indices, oversized bodies, XML-unsafe strings). Every answer must be
// a 4xx in that protocol's error shape, and the server must still answer a good request after.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ServiceModule } from "../../src/frontends/aws/mod.js";
import { createIamService } from "../../src/services/iam/mod.js";
import { createMemoryStore } from "../../src/store/mod.js";
import { accountId, send, serveModules, signedFor } from "./_server.js";

const echo = (input: unknown) => ({ echoed: input });
const modules: ServiceModule[] = [
  createIamService({ store: createMemoryStore(), accountId }),
  { name: "ec2", operations: { DescribeVpcs: () => ({ Vpcs: [] }), CreateSecurityGroup: () => ({ GroupId: "sg-1" }) } },
  { name: "ecs", operations: { ListClusters: () => ({ clusterArns: [] }), DescribeTasks: () => ({ tasks: [], failures: [] }) } },
  { name: "eks", operations: { DescribeCluster: echo, CreateCluster: echo, ListClusters: () => ({ clusters: [] }) } },
];

let endpoint = "";
serveModules(modules, (served) => {
  endpoint = served.endpoint;
});

type Shape = "query" | "ec2" | "json" | "rest-json";
interface Hostile {
  shape: Shape;
  method?: string;
  path?: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

// A small seeded generator: the same requests every run.
let seed = 12345;
function random(limit: number): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % limit;
}
const nasty = ["<", ">", "&", "'", '"', "]]>", "\u0000", "\u0001", "\u001f", "\uFFFE", "\uD800", "&amp;", "<!--", "%", "\u00e9", "\u{1F600}", "\\", "\r\n"];
function nastyText(length: number): string {
  return Array.from({ length }, () => nasty[random(nasty.length)]).join("");
}
/** Percent-encodes every byte of the text's UTF-8 (a lone surrogate becomes U+FFFD's bytes). */
function percent(text: string): string {
  return [...Buffer.from(text, "utf8")].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");
}
const form = { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" };
const oversized = Buffer.alloc(1024 * 1024 + 10, "a");

function queryRequests(): Hostile[] {
  const iam = { ...signedFor("iam"), ...form };
  const base = "Version=2010-05-08";
  const out: Hostile[] = [];
  for (let index = 0; index < 40; index++) {
    out.push(
      { shape: "query", headers: iam, body: `Action=ListRoles&${base}&Marker=%${nastyText(2)}` },
      { shape: "query", headers: iam, body: `Action=ListRoles&${base}&PathPrefix=%E0%A4` },
      { shape: "query", headers: iam, body: Buffer.from([0x41, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x3d, 0xff, 0xfe, random(255)]) },
      { shape: "query", headers: { ...signedFor("iam"), "Content-Type": ["text/plain", "application/json", "text/xml", "multipart/form-data"][index % 4]! }, body: `Action=ListRoles&${base}` },
      { shape: "query", headers: iam, body: `Action=Nope${index}${percent(nastyText(3))}&${base}` },
      { shape: "query", headers: iam, body: `${base}&RoleName=r${index}` },
      { shape: "query", headers: iam, body: `Action=CreateRole&${base}&RoleName=r${index}` },
      { shape: "query", headers: iam, body: `Action=GetRole&${base}` },
      { shape: "query", headers: iam, body: `Action=ListRoles&${base}&MaxItems=${["abc", "1.5", "true", "0", "1001", "-1", "99999999999999999999"][index % 7]}` },
      { shape: "query", headers: iam, body: `Action=CreateRole&${base}&RoleName=${percent(nastyText(5))}&AssumeRolePolicyDocument=%7B%7D` },
      { shape: "query", headers: iam, body: `Action=CreateRole&${base}&RoleName=ok${index}&AssumeRolePolicyDocument=${percent(`{"x":"${nastyText(4)}"`)}` },
      { shape: "query", headers: iam, body: `Action=TagRole&${base}&RoleName=r&Tags.member.${["0", "x", "99999999", "-1", "1e3"][index % 5]}.Key=k` },
      { shape: "query", headers: iam, body: `Action=GetPolicy&${base}&PolicyArn=${percent(`arn:aws:iam::${nastyText(12)}`)}` },
      { shape: "query", headers: iam, body: `Action=CreateRole&${base}&RoleName=r&AssumeRolePolicyDocument=x&MaxSessionDuration=${["60", "x", "50000"][index % 3]}` },
    );
  }
  out.push({ shape: "query", headers: iam, body: oversized }, { shape: "query", method: "GET", path: `/?Action=Nope&${base}`, headers: signedFor("iam") });
  return out;
}

function ec2Requests(): Hostile[] {
  const ec2 = { ...signedFor("ec2"), ...form };
  const base = "Version=2016-11-15";
  const out: Hostile[] = [];
  for (let index = 0; index < 30; index++) {
    out.push(
      { shape: "ec2", headers: ec2, body: `Action=DescribeVpcs&${base}&VpcId.1=%G${index}` },
      { shape: "ec2", headers: ec2, body: `Action=Unknown${index}&${base}` },
      { shape: "ec2", headers: ec2, body: `Action=CreateSecurityGroup&${base}&GroupName=g${index}` },
      { shape: "ec2", headers: ec2, body: `Action=CreateSecurityGroup&${base}&GroupDescription=${percent(nastyText(4))}` },
      { shape: "ec2", headers: ec2, body: `Action=DescribeVpcs&${base}&DryRun=${["maybe", "1", "yes", ""][index % 4]}` },
      { shape: "ec2", headers: ec2, body: `Action=DescribeVpcs&${base}&MaxResults=${["abc", "2.5", "1", "100000"][index % 4]}` },
      { shape: "ec2", headers: ec2, body: `Action=DescribeVpcs&${base}&VpcId.${["0", "x", "1000001", "01"][index % 4]}=vpc-1` },
      { shape: "ec2", headers: { ...signedFor("ec2"), "Content-Type": "application/json" }, body: `{"Action":"DescribeVpcs"}` },
      { shape: "ec2", headers: ec2, body: `Action=DescribeVpcs&${base}&Filter.1.Value.x=${percent(nastyText(3))}` },
      { shape: "ec2", headers: ec2, body: `${base}&VpcId.1=vpc-1` },
    );
  }
  out.push({ shape: "ec2", headers: ec2, body: oversized });
  return out;
}

function jsonRequests(): Hostile[] {
  const target = (operation: string) => ({ ...signedFor("ecs"), "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `AmazonEC2ContainerServiceV20141113.${operation}` });
  const out: Hostile[] = [];
  const bodies = ['{"tasks":', "[1,2]", "42", '"x"', "{,}", "\u0000", '{"maxResults":"ten"}', '{"maxResults":1.5}', '{"maxResults":true}', "null"];
  const nulls = ['{"tasks":[null]}', '{"tasks":["t",null],"cluster":null}', '{"tasks":[],"include":[null]}'];
  for (let index = 0; index < 30; index++) {
    out.push(
      { shape: "json", headers: target("ListClusters"), body: bodies[index % bodies.length] },
      { shape: "json", headers: target(`Nope${index}`), body: "{}" },
      { shape: "json", headers: { ...target("ListClusters"), "X-Amz-Target": `Wrong_Prefix.ListClusters${index}` }, body: "{}" },
      { shape: "json", headers: target("DescribeTasks"), body: "{}" },
      { shape: "json", headers: target("DescribeTasks"), body: JSON.stringify({ tasks: nastyText(3) }) },
      { shape: "json", headers: target("DescribeTasks"), body: JSON.stringify({ tasks: [1, {}, null], include: [nastyText(2)] }) },
      { shape: "json", headers: { ...target("ListClusters"), "Content-Type": "text/xml" }, body: "<a/>" },
      { shape: "json", headers: target("ListClusters"), body: `{"maxResults":${"9".repeat(30)}}` },
      { shape: "json", headers: target("DescribeTasks"), body: `{"tasks":["${nastyText(2).replace(/["\\]/g, "")}"],"cluster":{}}` },
      { shape: "json", headers: target("ListClusters"), body: `{"nextToken":` },
      { shape: "json", headers: target("DescribeTasks"), body: nulls[index % nulls.length] },
    );
  }
  out.push({ shape: "json", headers: target("ListClusters"), body: oversized });
  return out;
}

function restJsonRequests(): Hostile[] {
  const eks = { ...signedFor("eks"), "Content-Type": "application/json" };
  const out: Hostile[] = [];
  for (let index = 0; index < 30; index++) {
    out.push(
      { shape: "rest-json", method: "GET", path: `/nowhere/${index}`, headers: signedFor("eks") },
      { shape: "rest-json", method: "PATCH", path: "/clusters", headers: eks, body: "{}" },
      { shape: "rest-json", method: "GET", path: `/clusters/%ZZ${index}`, headers: signedFor("eks") },
      { shape: "rest-json", method: "POST", path: "/clusters", headers: eks, body: '{"name":' },
      { shape: "rest-json", method: "POST", path: "/clusters", headers: eks, body: "{}" },
      { shape: "rest-json", method: "POST", path: "/clusters", headers: eks, body: JSON.stringify({ name: nastyText(4), roleArn: "r", resourcesVpcConfig: {} }) },
      { shape: "rest-json", method: "POST", path: "/clusters", headers: eks, body: JSON.stringify({ name: "ok", roleArn: 7, resourcesVpcConfig: [] }) },
      { shape: "rest-json", method: "POST", path: "/clusters", headers: { ...signedFor("eks"), "Content-Type": "text/plain" }, body: "name=x" },
      { shape: "rest-json", method: "GET", path: `/clusters?maxResults=${["abc", "0", "1000", "1.5"][index % 4]}`, headers: signedFor("eks") },
      { shape: "rest-json", method: "POST", path: "/clusters", headers: eks, body: `[${index}]` },
    );
  }
  out.push({ shape: "rest-json", method: "POST", path: "/clusters", headers: eks, body: oversized });
  return out;
}

const xmlText = "[^<]*";
const shapes: Record<Shape, (answer: { headers: Headers; text: string }) => void> = {
  query: ({ text }) =>
    assert.match(text, new RegExp(`^<ErrorResponse xmlns="https://iam\\.amazonaws\\.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>[A-Za-z.]+</Code><Message>${xmlText}</Message></Error><RequestId>[0-9a-f-]+</RequestId></ErrorResponse>$`, "s")),
  ec2: ({ text }) =>
    assert.match(text, new RegExp(`^<\\?xml version="1\\.0" encoding="UTF-8"\\?>\\n<Response><Errors><Error><Code>[A-Za-z.]+</Code><Message>${xmlText}</Message></Error></Errors><RequestID>[0-9a-f-]+</RequestID></Response>$`, "s")),
  json: ({ text }) => {
    const body = JSON.parse(text);
    assert.equal(typeof body.__type, "string");
    assert.equal(typeof body.message, "string");
  },
  "rest-json": ({ headers, text }) => {
    assert.match(headers.get("x-amzn-errortype") ?? "", /^[A-Za-z]+$/);
    assert.equal(typeof JSON.parse(text).message, "string");
  },
};

/** XML 1.0 text may not hold these at all, escaped or not. */
const notXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/;

describe("hostile input", () => {
  it("answers 1,000+ malformed requests across the four protocols with a 4xx in each protocol's error shape, and stays up", async () => {
    const requests = [...queryRequests(), ...ec2Requests(), ...jsonRequests(), ...restJsonRequests()];
    assert.ok(requests.length >= 1000, `only ${requests.length} requests`);
    const counts: Record<string, number> = {};
    for (const request of requests) {
      const answer = await send(endpoint, request);
      const where = `${request.shape} ${request.method ?? "POST"} ${request.path ?? "/"} ${String(request.body).slice(0, 80)}`;
      assert.ok(answer.status >= 400 && answer.status < 500, `${where}: status ${answer.status} ${answer.text.slice(0, 300)}`);
      try {
        shapes[request.shape](answer);
      } catch (error) {
        throw new Error(`${where}: ${(error as Error).message}`);
      }
      if (request.shape === "query" || request.shape === "ec2") assert.doesNotMatch(answer.text, notXml, where);
      counts[request.shape] = (counts[request.shape] ?? 0) + 1;
    }
    assert.deepEqual(Object.keys(counts).sort(), ["ec2", "json", "query", "rest-json"]);
    const good = await send(endpoint, { headers: { ...signedFor("iam"), ...form }, body: "Action=ListRoles&Version=2010-05-08" });
    assert.equal(good.status, 200);
    assert.match(good.text, /<ListRolesResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><ListRolesResult><Roles><\/Roles><IsTruncated>false<\/IsTruncated><\/ListRolesResult>/);
  });
});
