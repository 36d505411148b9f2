// The ELBv2 API through the aws CLI v1 (`aws elbv2 …` with --endpoint-url): the walkthroughs'
// query forms, a fixed-response listener served by the proxy, tags and attributes as Terraform
// reads them, and the CLI's rendering of ELBv2's errors.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { aws, startMoor, type MoorUnderTest } from "../harness.js";
import { waitFor } from "../kubectl.js";
import { curl } from "../traffic-lb/_lb.js";

let moor: MoorUnderTest;
before(async () => {
  moor = await startMoor();
});
after(async () => {
  await moor?.dispose();
});

async function elbv2(args: string[]) {
  return aws(moor, ["elbv2", "--endpoint-url", moor.awsEndpoint, "--region", "us-east-1", ...args]);
}

async function ok(args: string[]): Promise<string> {
  const result = await elbv2(args);
  assert.equal(result.code, 0, `aws elbv2 ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

describe("ELBv2 through the aws CLI v1", () => {
  let arn = "";
  let dnsName = "";
  let groupArn = "";

  it("create-load-balancer and describe-load-balancers --query, as a walkthrough reads them", async () => {
    const subnets = (await aws(moor, ["ec2", "describe-subnets", "--endpoint-url", moor.awsEndpoint, "--filters", "Name=tag:kubernetes.io/role/internal-elb,Values=1", "--query", "Subnets[].SubnetId", "--output", "text"])).stdout.trim().split(/\s+/);
    arn = await ok(["create-load-balancer", "--name", "cli-alb", "--subnets", ...subnets, "--scheme", "internal", "--tags", "Key=env,Value=test", "--query", "LoadBalancers[0].LoadBalancerArn", "--output", "text"]);
    assert.match(arn, /loadbalancer\/app\/cli-alb\//);
    const [dns, state] = (await ok(["describe-load-balancers", "--names", "cli-alb", "--query", "LoadBalancers[].[DNSName,State.Code]", "--output", "text"])).split(/\s+/);
    dnsName = dns!;
    assert.match(dnsName, /^internal-cli-alb-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    assert.equal(state, "active");
  });

  it("a fixed-response listener is answered by the proxy with its code and body", async () => {
    await ok(["create-listener", "--load-balancer-arn", arn, "--protocol", "HTTP", "--port", "8080", "--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=418,ContentType=text/plain,MessageBody=teapot}"]);
    const answer = await waitFor("the fixed response", async () => {
      const got = await curl(`http://${dnsName}:8080/anything`);
      return got.status === 418 && got;
    });
    assert.equal(answer.body, "teapot");
  });

  it("tags and attributes as Terraform reads them", async () => {
    assert.equal(await ok(["describe-tags", "--resource-arns", arn, "--query", "TagDescriptions[0].Tags[?Key=='env'].Value", "--output", "text"]), "test");
    await ok(["add-tags", "--resource-arns", arn, "--tags", "Key=owner,Value=me"]);
    await ok(["remove-tags", "--resource-arns", arn, "--tag-keys", "env"]);
    assert.equal(await ok(["describe-tags", "--resource-arns", arn, "--query", "TagDescriptions[0].Tags[].Key", "--output", "text"]), "owner");
    assert.equal(await ok(["describe-load-balancer-attributes", "--load-balancer-arn", arn, "--query", "Attributes[?Key=='idle_timeout.timeout_seconds'].Value", "--output", "text"]), "60");
    await ok(["modify-load-balancer-attributes", "--load-balancer-arn", arn, "--attributes", "Key=idle_timeout.timeout_seconds,Value=120"]);
    assert.equal(await ok(["describe-load-balancer-attributes", "--load-balancer-arn", arn, "--query", "Attributes[?Key=='idle_timeout.timeout_seconds'].Value", "--output", "text"]), "120");
    const bad = await elbv2(["modify-load-balancer-attributes", "--load-balancer-arn", arn, "--attributes", "Key=nope,Value=1"]);
    assert.equal(bad.code, 255);
    assert.match(bad.stderr, /An error occurred \(InvalidConfigurationRequest\) when calling the ModifyLoadBalancerAttributes operation: Load balancer attribute key 'nope' is not recognized/);
  });

  it("target groups, their attributes and health, and the CLI's error lines", async () => {
    const vpcId = (await aws(moor, ["ec2", "describe-vpcs", "--endpoint-url", moor.awsEndpoint, "--query", "Vpcs[0].VpcId", "--output", "text"])).stdout.trim();
    groupArn = await ok(["create-target-group", "--name", "cli-tg", "--protocol", "HTTP", "--port", "80", "--vpc-id", vpcId, "--target-type", "ip", "--health-check-path", "/healthz", "--matcher", "HttpCode=200-299", "--query", "TargetGroups[0].TargetGroupArn", "--output", "text"]);
    assert.equal(await ok(["describe-target-group-attributes", "--target-group-arn", groupArn, "--query", "Attributes[?Key=='deregistration_delay.timeout_seconds'].Value", "--output", "text"]), "300");
    await ok(["modify-target-group-attributes", "--target-group-arn", groupArn, "--attributes", "Key=deregistration_delay.timeout_seconds,Value=0"]);
    assert.equal(await ok(["describe-target-group-attributes", "--target-group-arn", groupArn, "--query", "Attributes[?Key=='deregistration_delay.timeout_seconds'].Value", "--output", "text"]), "0");
    assert.equal(await ok(["modify-target-group", "--target-group-arn", groupArn, "--health-check-interval-seconds", "10", "--query", "TargetGroups[0].HealthCheckIntervalSeconds", "--output", "text"]), "10");
    await ok(["register-targets", "--target-group-arn", groupArn, "--targets", "Id=10.42.1.9,Port=8080"]);
    assert.equal(await ok(["describe-target-health", "--target-group-arn", groupArn, "--query", "TargetHealthDescriptions[0].TargetHealth.[State,Reason]", "--output", "text"]), "unused\tTarget.NotInUse");
    const missing = await elbv2(["describe-load-balancers", "--names", "missing"]);
    assert.equal(missing.code, 255);
    assert.match(missing.stderr, /An error occurred \(LoadBalancerNotFound\) when calling the DescribeLoadBalancers operation: Load balancers '\[missing\]' not found/);
    const noGroup = await elbv2(["describe-target-health", "--target-group-arn", `${groupArn.slice(0, -16)}0000000000000000`]);
    assert.match(noGroup.stderr, /\(TargetGroupNotFound\) when calling the DescribeTargetHealth operation/);
  });

  it("delete-load-balancer and delete-target-group", async () => {
    await ok(["delete-load-balancer", "--load-balancer-arn", arn]);
    await ok(["delete-target-group", "--target-group-arn", groupArn]);
    assert.equal(await ok(["describe-target-groups", "--query", "length(TargetGroups)"]), "0");
    assert.equal(await ok(["describe-load-balancers", "--query", "length(LoadBalancers)"]), "0");
  });
});
