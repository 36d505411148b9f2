import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { credentialOf } from "./_dispatch.js";
import { loadModel } from "./_model.js";
import { ProtocolError, type WireRequest } from "./_protocol.js";
import { escapeXml } from "./_xml.js";
import { ec2Protocol } from "./ec2.js";
import { jsonProtocol } from "./json.js";
import { queryProtocol } from "./query.js";
import { restJsonProtocol } from "./rest-json.js";

const iam = loadModel("iam");
const ec2 = loadModel("ec2");
const ecs = loadModel("ecs");
const eks = loadModel("eks");
const form = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };

function request(body: string, headers: Record<string, string> = form, path = "/", method = "POST"): WireRequest {
  return { method, url: new URL(path, "http://moor"), headers, body: Buffer.from(body) };
}

function refusal(call: () => unknown): ProtocolError {
  try {
    call();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("query protocol", () => {
  it("reads Tags.member.N structures in index order, and `Tags=` alone as the empty list", () => {
    const { input } = queryProtocol.read(iam, request("Action=TagRole&Version=2010-05-08&RoleName=r&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1"));
    assert.deepEqual(input, { RoleName: "r", Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }] });
    const empty = queryProtocol.read(iam, request("Action=UntagRole&Version=2010-05-08&RoleName=r&TagKeys="));
    assert.deepEqual(empty.input, { RoleName: "r", TagKeys: [] });
  });

  it("takes parameters from the URL of a presigned GET, as `aws eks get-token` sends STS", () => {
    const sts = loadModel("sts");
    const read = queryProtocol.read(sts, request("", {}, "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256", "GET"));
    assert.equal(read.operation.name, "GetCallerIdentity");
  });

  it("refuses every broken constraint in one ValidationError, in AWS's words", () => {
    const error = refusal(() => queryProtocol.read(iam, request("Action=CreateRole&Version=2010-05-08&RoleName=a%20b&MaxSessionDuration=60")));
    assert.equal(error.code, "ValidationError");
    assert.equal(
      error.message,
      "3 validation errors detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null; " +
        "Value 'a b' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+; " +
        "Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    );
  });

  it("an unknown Action is InvalidAction naming the version; a missing one MissingAction; a bad escape MalformedQueryString", () => {
    assert.deepEqual(Object.assign({}, refusal(() => queryProtocol.read(iam, request("Action=Fly&Version=2010-05-08")))), { code: "InvalidAction", status: 400, name: "ProtocolError" });
    assert.equal(refusal(() => queryProtocol.read(iam, request("Action=Fly&Version=2010-05-08"))).message, "Could not find operation Fly for version 2010-05-08");
    assert.equal(refusal(() => queryProtocol.read(iam, request("Version=2010-05-08"))).code, "MissingAction");
    assert.equal(refusal(() => queryProtocol.read(iam, request("Action=ListRoles&Marker=%E2%82"))).code, "MalformedQueryString");
  });

  it("writes an operation without output as ResponseMetadata alone", () => {
    const answer = queryProtocol.write(iam, iam.operation("DeleteRole")!, undefined, "req-1");
    assert.equal(answer.body, '<DeleteRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DeleteRoleResponse>');
  });
});

describe("ec2 protocol", () => {
  it("a missing required member is MissingParameter under its wire name", () => {
    const error = refusal(() => ec2Protocol.read(ec2, request("Action=CreateSecurityGroup&Version=2016-11-15&GroupName=g")));
    assert.equal(error.code, "MissingParameter");
    assert.equal(error.message, "The request must contain the parameter GroupDescription");
  });

  it("a boolean that is not true/false is InvalidParameterValue", () => {
    const error = refusal(() => ec2Protocol.read(ec2, request("Action=DescribeVpcs&Version=2016-11-15&DryRun=yes")));
    assert.equal(error.code, "InvalidParameterValue");
    assert.match(error.message, /^Value \(yes\) for parameter dryRun is invalid\./);
  });
});

describe("json protocol", () => {
  it("reads members by name and types them; a string where a list belongs is refused", () => {
    const target = { "x-amz-target": "AmazonEC2ContainerServiceV20141113.DescribeTasks", "content-type": "application/x-amz-json-1.1" };
    assert.deepEqual(jsonProtocol.read(ecs, request('{"cluster":"c","tasks":["t"]}', target)).input, { cluster: "c", tasks: ["t"] });
    const error = refusal(() => jsonProtocol.read(ecs, request('{"tasks":"t"}', target)));
    assert.equal(error.code, "InvalidParameterException");
  });

  it("writes timestamps as epoch seconds", () => {
    const answer = jsonProtocol.write(ecs, ecs.operation("DescribeClusters")!, { clusters: [{ clusterName: "c" }], failures: [] }, "id");
    assert.deepEqual(JSON.parse(answer.body), { clusters: [{ clusterName: "c" }], failures: [] });
    const tasks = jsonProtocol.write(ecs, ecs.operation("DescribeTasks")!, { tasks: [{ createdAt: new Date(1735689600500) }] }, "id");
    assert.equal(JSON.parse(tasks.body).tasks[0].createdAt, 1735689600.5);
  });
});

describe("rest-json protocol", () => {
  it("binds path labels and query parameters, lists repeated, numbers typed", () => {
    const read = restJsonProtocol.read(eks, request("", {}, "/clusters/moor/node-groups?maxResults=5&nextToken=abc", "GET"));
    assert.equal(read.operation.name, "ListNodegroups");
    assert.deepEqual(read.input, { clusterName: "moor", maxResults: 5, nextToken: "abc" });
  });

  it("an unknown path is a 404 UnknownOperationException; a number out of range a 400", () => {
    assert.equal(refusal(() => restJsonProtocol.read(eks, request("", {}, "/nowhere", "GET"))).status, 404);
    assert.equal(refusal(() => restJsonProtocol.read(eks, request("", {}, "/clusters?maxResults=0", "GET"))).code, "InvalidParameterException");
  });
});

describe("the pieces", () => {
  it("escapeXml escapes markup and replaces what XML 1.0 cannot carry", () => {
    assert.equal(escapeXml("a<b>&\u0000\uD800c\r"), "a&lt;b&gt;&amp;\uFFFD\uFFFDc&#13;");
    assert.equal(escapeXml("\u{1F600}"), "\u{1F600}");
  });

  it("credentialOf reads the SigV4 scope from the header or a presigned URL, any region", () => {
    const header = { authorization: "AWS4-HMAC-SHA256 Credential=AKID/20250101/ap-south-2/iam/aws4_request, SignedHeaders=host, Signature=x" };
    assert.deepEqual(credentialOf(header, new URL("http://moor/")), { accessKeyId: "AKID", region: "ap-south-2", service: "iam" });
    const presigned = new URL("http://moor/?X-Amz-Credential=AKID%2F20250101%2Fus-east-1%2Fsts%2Faws4_request");
    assert.deepEqual(credentialOf({}, presigned), { accessKeyId: "AKID", region: "us-east-1", service: "sts" });
    assert.equal(credentialOf({}, new URL("http://moor/")), undefined);
  });
});
