// The protocols against what the real aws CLI sent and accepted (test/aws/wire, copied from the
// project's wire reference): every captured request reads through its service's model without
// a refusal and into the model's member names; every XML answer the CLI parsed is what Moor
// writes for the same output, element for element; the JSON answers keep epoch-second
// timestamps; the error answers have the same shape.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadModel, protocols, type ServiceModel } from "../../src/frontends/aws/protocols/mod.js";
import { repoRoot } from "../harness.js";
import { canonical, parseXml, readXml } from "./_xml-tree.js";

const wire = join(repoRoot, "test/aws/wire");
const modelBySigningName: Record<string, string> = { sts: "sts", iam: "iam", ec2: "ec2", eks: "eks", ecs: "ecs", rds: "rds", elasticloadbalancing: "elbv2" };
const models = new Map<string, ServiceModel>();
function model(signingName: string): ServiceModel {
  const name = modelBySigningName[signingName]!;
  if (!models.has(name)) models.set(name, loadModel(name));
  return models.get(name)!;
}

interface Captured {
  key: string;
  method: string;
  path: string;
  ctype: string | null;
  target: string;
  svc: string;
  body: string;
}
const captured: Captured[] = readFileSync(join(wire, "requests.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));

function read(request: Captured): { operation: string; input: Record<string, any> } {
  const served = model(request.svc);
  const headers: Record<string, string> = {};
  if (request.ctype) headers["content-type"] = request.ctype;
  if (request.target) headers["x-amz-target"] = request.target;
  const url = new URL(request.path, "http://moor");
  const { operation, input } = protocols[served.protocol].read(served, { method: request.method, url, headers, body: Buffer.from(request.body) });
  return { operation: operation.name, input };
}

describe("requests the aws CLI sent", () => {
  it("all read through their models without a refusal", () => {
    assert.ok(captured.length > 50);
    for (const request of captured) assert.doesNotThrow(() => read(request), `${request.key}: ${request.body.slice(0, 120)}`);
  });

  it("ec2: GroupDescription fills Description, IpPermissions.1.IpRanges.1.CidrIp a nested list, Filter.N.Value.N the Filters", () => {
    const group = read(captured.find((request) => request.key === "ec2.CreateSecurityGroup")!);
    assert.deepEqual(group, { operation: "CreateSecurityGroup", input: { Description: "EFS SG", GroupName: "efs-sg", VpcId: "vpc-0abc1234def567890" } });
    const ingress = read(captured.find((request) => request.key === "ec2.AuthorizeSecurityGroupIngress")!).input;
    assert.equal(ingress.IpPermissions[0].FromPort, 2049);
    assert.equal(typeof ingress.IpPermissions[0].IpRanges[0].CidrIp, "string");
    const subnets = read(captured.find((request) => request.key === "ec2.DescribeSubnets")!).input;
    assert.deepEqual(subnets.Filters[0], { Name: "vpc-id", Values: ["vpc-0abc1234def567890"] });
  });

  it("query: RDS lists by their member locationName, IAM and ELBv2 lists by member, booleans typed", () => {
    const subnetGroup = read(captured.find((request) => request.key === "rds.CreateDBSubnetGroup")!).input;
    assert.ok(Array.isArray(subnetGroup.SubnetIds) && subnetGroup.SubnetIds.length > 0);
    const filtered = read(captured.find((request) => request.body.includes("Filters.Filter.1"))!).input;
    assert.deepEqual(filtered.Filters, [{ Name: "db-instance-id", Values: ["wp-db"] }]);
    assert.equal(read(captured.find((request) => request.key === "rds.DeleteDBInstance")!).input.SkipFinalSnapshot, true);
    assert.deepEqual(read(captured.find((request) => request.body.includes("Names.member.1"))!).input.Names, ["k8s-default-wordpres-0a1b2c3d4e"]);
    const policy = read(captured.find((request) => request.key === "iam.CreatePolicy")!).input;
    assert.equal(JSON.parse(policy.PolicyDocument).Version, "2012-10-17");
  });

  it("json and rest-json: ECS by target, EKS path labels and bodies", () => {
    const run = read(captured.find((request) => request.key === "ecs.RunTask")!);
    assert.equal(run.operation, "RunTask");
    assert.equal(run.input.launchType, "FARGATE");
    assert.ok(Array.isArray(run.input.networkConfiguration.awsvpcConfiguration.subnets));
    assert.deepEqual(read(captured.find((request) => request.key === "eks.GET_clusters_moor_fargate-profiles_fp-default")!), {
      operation: "DescribeFargateProfile",
      input: { clusterName: "moor", fargateProfileName: "fp-default" },
    });
    const profile = read(captured.find((request) => request.key === "eks.POST_clusters_moor_fargate-profiles")!);
    assert.equal(profile.input.clusterName, "moor");
    assert.deepEqual(profile.input.selectors[0], { namespace: "default" });
  });
});

function fixture(name: string): { status: number; headerLine: string; body: string } {
  const text = readFileSync(join(wire, name), "utf8");
  const newline = text.indexOf("\n");
  const headerLine = text.slice(0, newline);
  return { status: Number(headerLine.split(" ")[0]), headerLine, body: text.slice(newline + 1) };
}

describe("answers the aws CLI accepted", () => {
  const xmlAnswers = readdirSync(wire).filter((name) => /^(ec2|iam|rds|sts|elasticloadbalancing)\./.test(name) && fixture(name).status === 200);

  it("Moor writes each 200 XML answer element for element (names, item/member wrappers, Result wrapper)", () => {
    assert.ok(xmlAnswers.length >= 10, xmlAnswers.join(" "));
    for (const name of xmlAnswers) {
      const served = model(name.split(".")[0]!);
      const operation = served.operation(name.split(".")[1]!)!;
      const expected = parseXml(fixture(name).body);
      // EC2 sends `<return>true</return>` for CreateSecurityGroup, which the model's
      // CreateSecurityGroupResult does not define (clients ignore it): Moor writes the model.
      if (name === "ec2.CreateSecurityGroup") expected.children = expected.children.filter((node) => node.name !== "return");
      const requestIdNode = expected.children.find((node) => node.name === "requestId") ?? expected.children.find((node) => node.name === "ResponseMetadata")!.children[0]!;
      const resultNode = operation.output?.resultWrapper ? expected.children.find((node) => node.name === operation.output!.resultWrapper)! : expected;
      const output = operation.output ? readXml(served, served.resolve(operation.output), resultNode) : undefined;
      const written = protocols[served.protocol].write(served, operation, output, requestIdNode.text.trim());
      assert.equal(canonical(parseXml(written.body)), canonical(expected), name);
    }
  });

  it("Moor's query and ec2 errors have the shape of the accepted ones", () => {
    const iam = model("iam");
    const expected = fixture("iam.AttachRolePolicy");
    const requestId = /<RequestId>([^<]+)<\/RequestId>/.exec(expected.body)![1]!;
    const written = protocols.query.error(iam, { code: "NoSuchEntity", status: 404, message: "The role with name nosuch cannot be found." }, requestId);
    assert.equal(canonical(parseXml(written.body)), canonical(parseXml(expected.body)));
  });

  it("rest-json errors carry x-amzn-ErrorType and the accepted body", () => {
    const eks = model("eks");
    const expected = fixture("eks.GET_clusters_nope");
    const written = protocols["rest-json"].error(eks, { code: "ResourceNotFoundException", status: 404, message: "No cluster found for name: nope.", details: { clusterName: "nope" } }, "id");
    assert.equal(written.status, expected.status);
    assert.equal(written.headers["x-amzn-ErrorType"], "ResourceNotFoundException");
    assert.deepEqual(JSON.parse(written.body), JSON.parse(expected.body));
  });

  it("ECS DescribeTasks round-trips: epoch-second timestamps stay numbers, members keep their names", () => {
    const ecs = model("ecs");
    const operation = ecs.operation("DescribeTasks")!;
    const expected = JSON.parse(fixture("ecs.DescribeTasks").body);
    const typed = JSON.parse(JSON.stringify(expected), (key, value) => (/At$/.test(key) && typeof value === "number" ? new Date(value * 1000) : value));
    const written = JSON.parse(protocols.json.write(ecs, operation, typed, "id").body);
    assert.deepEqual(written, expected);
  });
});
