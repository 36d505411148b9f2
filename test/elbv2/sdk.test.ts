// The ELBv2 API end to end through the JavaScript SDK v3: an ALB, a target group and a listener
// made by API calls become a real proxy listener whose AWS hostname resolves on the host; a
// busybox httpd pod registered as an ip target answers through it once HAProxy's checks pass,
// DescribeTargetHealth reports those checks, and every documented error comes back with its code.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readFileSync } from "node:fs";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { aws, startMoor, type MoorUnderTest } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { curl, webDeployment } from "../traffic-lb/_lb.js";

let moor: MoorUnderTest;
let client: ElasticLoadBalancingV2Client;
before(async () => {
  moor = await startMoor();
  client = new ElasticLoadBalancingV2Client({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" } });
});
after(async () => {
  client?.destroy();
  await moor?.dispose();
});

/** The error code an SDK call fails with. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error: any) {
    return `${error.name}: ${error.message}`;
  }
  assert.fail("the call succeeded");
}

async function privateSubnets(): Promise<string[]> {
  const result = await aws(moor, ["ec2", "describe-subnets", "--endpoint-url", moor.awsEndpoint, "--filters", "Name=tag:kubernetes.io/role/internal-elb,Values=1", "--query", "Subnets[].SubnetId", "--output", "text"]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim().split(/\s+/);
}

describe("ELBv2 through the JavaScript SDK v3", () => {
  let podIp = "";
  let podName = "";
  let subnets: string[] = [];
  let loadBalancerArn = "";
  let dnsName = "";
  let targetGroupArn = "";
  let listenerArn = "";

  it("creates an ALB in the private subnets, with AWS's name rules and DuplicateLoadBalancerName", async () => {
    await kubectlOk(moor, ["apply", "-f", "-"], webDeployment("web", 1));
    subnets = await privateSubnets();
    assert.equal(subnets.length, 3);
    const made = await client.send(new CreateLoadBalancerCommand({ Name: "web-alb", Subnets: subnets, Scheme: "internet-facing", Type: "application", Tags: [{ Key: "team", Value: "web" }] }));
    const balancer = made.LoadBalancers![0]!;
    loadBalancerArn = balancer.LoadBalancerArn!;
    dnsName = balancer.DNSName!;
    assert.match(loadBalancerArn, /^arn:aws:elasticloadbalancing:us-east-1:\d{12}:loadbalancer\/app\/web-alb\/[0-9a-f]{16}$/);
    assert.match(dnsName, /^web-alb-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    assert.equal(balancer.State?.Code, "active");
    assert.equal(balancer.AvailabilityZones?.length, 3);
    assert.match(await failure(client.send(new CreateLoadBalancerCommand({ Name: "web-alb", Subnets: subnets }))), /^DuplicateLoadBalancerNameException: A load balancer with the same name already exists$/);
    assert.match(await failure(client.send(new CreateLoadBalancerCommand({ Name: "a".repeat(33), Subnets: subnets }))), /^ValidationError: LoadBalancer name cannot be longer than '32' characters$/);
    assert.match(await failure(client.send(new CreateLoadBalancerCommand({ Name: "bad_name", Subnets: subnets }))), /can only contain characters that are alphanumeric characters or hyphens/);
    assert.match(await failure(client.send(new CreateLoadBalancerCommand({ Name: "internal-x", Subnets: subnets }))), /cannot begin with 'internal-'/);
    assert.match(await failure(client.send(new CreateLoadBalancerCommand({ Name: "one-subnet", Subnets: subnets.slice(0, 1) }))), /At least two subnets in two different Availability Zones must be specified/);
    assert.match(await failure(client.send(new CreateLoadBalancerCommand({ Name: "no-subnet", Subnets: ["subnet-0123456789abcdef0"] }))), /^SubnetNotFoundException: The subnet ID 'subnet-0123456789abcdef0' does not exist$/);
  });

  it("describes load balancers by name and ARN, LoadBalancerNotFound otherwise", async () => {
    const byName = await client.send(new DescribeLoadBalancersCommand({ Names: ["web-alb"] }));
    assert.equal(byName.LoadBalancers?.[0]?.LoadBalancerArn, loadBalancerArn);
    const byArn = await client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }));
    assert.equal(byArn.LoadBalancers?.[0]?.DNSName, dnsName);
    assert.match(await failure(client.send(new DescribeLoadBalancersCommand({ Names: ["nope"] }))), /^LoadBalancerNotFoundException: Load balancers '\[nope\]' not found$/);
  });

  it("creates a target group with its health check, and a listener forwarding to it; the errors of both", async () => {
    const vpcId = (await aws(moor, ["ec2", "describe-vpcs", "--endpoint-url", moor.awsEndpoint, "--query", "Vpcs[0].VpcId", "--output", "text"])).stdout.trim();
    const input = { Name: "web-tg", Protocol: "HTTP" as const, Port: 80, VpcId: vpcId, TargetType: "ip" as const, HealthCheckPath: "/index.php", HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2, Matcher: { HttpCode: "200" } };
    const group = (await client.send(new CreateTargetGroupCommand(input))).TargetGroups![0]!;
    targetGroupArn = group.TargetGroupArn!;
    assert.match(targetGroupArn, /:targetgroup\/web-tg\/[0-9a-f]{16}$/);
    assert.deepEqual([group.HealthCheckPath, group.HealthCheckPort, group.HealthCheckIntervalSeconds, group.Matcher?.HttpCode, group.TargetType], ["/index.php", "traffic-port", 5, "200", "ip"]);
    assert.equal((await client.send(new CreateTargetGroupCommand(input))).TargetGroups![0]!.TargetGroupArn, targetGroupArn, "the same call again returns the group");
    assert.match(await failure(client.send(new CreateTargetGroupCommand({ ...input, Port: 8080 }))), /^DuplicateTargetGroupNameException:/);
    assert.match(await failure(client.send(new CreateTargetGroupCommand({ ...input, Name: "x", Matcher: { HttpCode: "600" } }))), /^ValidationError: Health check matcher HTTP code '600' must be within '200-499'$/);
    assert.match(await failure(client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn.replace(/[0-9a-f]{16}$/, "0000000000000000")] }))), /^TargetGroupNotFoundException:/);
    const listener = (await client.send(new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }] }))).Listeners![0]!;
    listenerArn = listener.ListenerArn!;
    assert.match(listenerArn, /:listener\/app\/web-alb\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    assert.match(await failure(client.send(new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }] }))), /^DuplicateListenerException:/);
    assert.match(await failure(client.send(new CreateListenerCommand({ LoadBalancerArn: `${loadBalancerArn}0`, Port: 81, DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }] }))), /^LoadBalancerNotFoundException:/);
    assert.deepEqual((await client.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }))).Listeners?.map((item) => [item.Port, item.DefaultActions?.[0]?.TargetGroupArn]), [[80, targetGroupArn]]);
    assert.deepEqual((await client.send(new DescribeTargetGroupsCommand({ Names: ["web-tg"] }))).TargetGroups?.[0]?.LoadBalancerArns, [loadBalancerArn]);
    assert.match(await failure(client.send(new DeleteTargetGroupCommand({ TargetGroupArn: targetGroupArn }))), /^ResourceInUseException: Target group '.*' is currently in use by a listener or a rule$/);
  });

  it("resolves the ALB's hostname on the host; with no target it answers 503", async () => {
    const block = await waitFor("the hostname in /etc/hosts", () => readFileSync("/etc/hosts", "utf8").includes(` ${dnsName}\n`));
    assert.ok(block);
    const answer = await waitFor("503 with no target", async () => {
      const got = await curl(`http://${dnsName}/`);
      return got.status === 503 && got;
    });
    assert.match(answer.body, /503 Service Temporarily Unavailable/);
  });

  it("registers the pod's IP: its health goes initial → healthy, and curl on the hostname gets the pod's answer", async () => {
    const pod = await waitFor("the web pod Running", async () => (await kubectlJson(moor, ["get", "pods", "-l", "app=web"])).items.find((item: any) => item.status.phase === "Running" && item.status.podIP));
    podIp = pod.status.podIP;
    podName = pod.metadata.name;
    assert.match(await failure(client.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: "192.168.1.1" }] }))), /^InvalidTargetException: The IP address '192\.168\.1\.1' is not within the CIDR of VPC/);
    await client.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: podIp }] }));
    const states: string[] = [];
    await waitFor("the target healthy", async () => {
      const health = (await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))).TargetHealthDescriptions ?? [];
      const description = health[0]!;
      assert.deepEqual([description.Target?.Id, description.Target?.Port, description.HealthCheckPort], [podIp, 80, "80"]);
      states.push(`${description.TargetHealth?.State} ${description.TargetHealth?.Reason ?? ""}`.trim());
      return description.TargetHealth?.State === "healthy";
    });
    assert.match(states[0]!, /^initial Elb\.(RegistrationInProgress|InitialHealthChecking)$/);
    assert.ok(states.every((state, index) => state.startsWith("initial") || index === states.length - 1), states.join(", "));
    const answer = await waitFor("the pod's answer through the ALB", async () => {
      const got = await curl(`http://${dnsName}/`);
      return got.status === 200 && got.body.trim();
    }, 15_000);
    assert.equal(answer, podName);
    const fromPod = await waitFor("an answer through the ALB from a pod, by its hostname in cluster DNS", async () => {
      const result = await kubectl(moor, ["exec", podName, "--", "http-get", "-t", "3", `http://${dnsName}/`]);
      return result.code === 0 && result.stdout.trim();
    }, 15_000);
    assert.equal(fromPod, podName);
  });

  it("reports a failing check as unhealthy with ELB's reason and the codes it got", async () => {
    await kubectlOk(moor, ["exec", podName, "--", "mv", "/www/index.php", "/www/gone.php"]);
    const unhealthy = await waitFor("the target unhealthy", async () => {
      const description = (await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))).TargetHealthDescriptions![0]!;
      return description.TargetHealth?.State === "unhealthy" && description.TargetHealth;
    }, 30_000);
    assert.deepEqual([unhealthy.Reason, unhealthy.Description], ["Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]"]);
    await kubectlOk(moor, ["exec", podName, "--", "mv", "/www/gone.php", "/www/index.php"]);
    await waitFor("the target healthy again", async () => (await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))).TargetHealthDescriptions![0]!.TargetHealth?.State === "healthy", 30_000);
  });

  it("deregisters the target: the ALB answers 503", async () => {
    assert.equal((await curl(`http://${dnsName}/`)).status, 200);
    await client.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: podIp, Port: 80 }] }));
    await waitFor("503 after deregistering", async () => (await curl(`http://${dnsName}/`)).status === 503);
    assert.deepEqual((await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))).TargetHealthDescriptions, []);
    assert.match(await failure(client.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: podIp }] }))), /^InvalidTargetException: The following targets are not registered in target group/);
  });

  it("lists the NLB of a LoadBalancer Service as the AWS Load Balancer Controller's", async () => {
    await kubectlOk(moor, ["expose", "deployment", "web", "--name", "web-nlb", "--type", "LoadBalancer", "--port", "80"]);
    const hostname = await waitFor("the Service's hostname", async () => (await kubectlJson(moor, ["get", "service", "web-nlb"])).status?.loadBalancer?.ingress?.[0]?.hostname);
    const all = (await client.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    const nlb = all.find((item) => item.DNSName === hostname);
    assert.equal(nlb?.Type, "network");
    assert.match(nlb?.LoadBalancerName ?? "", /^k8s-default-webnlb-[0-9a-f]{10}$/);
    assert.equal((await client.send(new DescribeLoadBalancersCommand({ Names: [nlb!.LoadBalancerName!] }))).LoadBalancers?.[0]?.DNSName, hostname);
  });

  it("deletes the listener, target group and load balancer; the hostname leaves /etc/hosts", async () => {
    await client.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
    assert.match(await failure(client.send(new DeleteListenerCommand({ ListenerArn: listenerArn }))), /^ListenerNotFoundException:/);
    await client.send(new DeleteTargetGroupCommand({ TargetGroupArn: targetGroupArn }));
    await client.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: loadBalancerArn }));
    assert.match(await failure(client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }))), /^LoadBalancerNotFoundException:/);
    await waitFor("the hostname gone from /etc/hosts", () => !readFileSync("/etc/hosts", "utf8").includes(` ${dnsName}\n`));
  });
});
