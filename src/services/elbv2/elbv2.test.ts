// The ELBv2 service over the in-memory store, with fixed ids, a fixed clock and the proxy's checks
// faked: the plans API-made load balancers give the load balancer controller, target health as
// ELB reports it from the checks, the in-process registration, and the refusals.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { subnetKind, vpcKind } from "../../domain/securitygroups/mod.js";
import { isMoorError } from "../../errors/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import { apiLoadBalancerPlan, apiLoadBalancersUsing, createElbv2Service, type Elbv2Service, type TargetCheck } from "./mod.js";

const vpcId = "vpc-042a0000000000001";
let store: Store;
let elb: Elbv2Service;
let checks: TargetCheck[];
let counter: number;

beforeEach(() => {
  store = createMemoryStore();
  store.create({ apiVersion: "ec2.moor.dev/v1", kind: vpcKind, metadata: { name: vpcId }, spec: {} });
  for (const zone of ["a", "b"]) store.create({ apiVersion: "ec2.moor.dev/v1", kind: subnetKind, metadata: { name: `subnet-${zone}` }, spec: { vpcId, availabilityZone: `us-east-1${zone}` } });
  checks = [];
  counter = 0;
  elb = createElbv2Service({ store, region: "us-east-1", accountId: "123456789012", checks: async () => checks, now: () => new Date("2026-01-02T03:04:05Z"), randomHex: () => (++counter).toString(16).padStart(16, "0") });
});

async function call(operation: string, input: unknown): Promise<any> {
  return elb.operations[operation]!(input);
}

async function code(operation: string, input: unknown): Promise<string> {
  try {
    await call(operation, input);
  } catch (error) {
    if (isMoorError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return assert.fail("expected a refusal");
}

async function stack() {
  const balancer = (await call("CreateLoadBalancer", { Name: "web", Subnets: ["subnet-a", "subnet-b"] })).LoadBalancers[0];
  const group = (await call("CreateTargetGroup", { Name: "tg", Protocol: "HTTP", Port: 80, VpcId: vpcId, TargetType: "ip", HealthCheckPath: "/ok", Matcher: { HttpCode: "200,302" } })).TargetGroups[0];
  const listener = (await call("CreateListener", { LoadBalancerArn: balancer.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "forward", TargetGroupArn: group.TargetGroupArn }] })).Listeners[0];
  return { balancer, group, listener };
}

const state = async (groupArn: string) => (await call("DescribeTargetHealth", { TargetGroupArn: groupArn })).TargetHealthDescriptions.map((item: any) => [item.TargetHealth.State, item.TargetHealth.Reason]);

describe("ELBv2 service", () => {
  it("gives the controller a plan of the load balancer's listeners, forwarded groups, targets and checks", async () => {
    const { group } = await stack();
    elb.registerIpTargets(group.TargetGroupArn, [{ ip: "10.42.1.5", port: 80 }, { ip: "10.42.1.4", port: 8080 }]);
    const plan = apiLoadBalancerPlan(store, "web")!;
    assert.equal(plan.type, "application");
    assert.match(plan.dnsName, /^web-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    assert.deepEqual(plan.listeners, [{ protocol: "HTTP", port: 80, rules: [], defaultTargetGroup: "tg" }]);
    assert.deepEqual(plan.targetGroups[0]!.targets, [{ ip: "10.42.1.4", port: 8080 }, { ip: "10.42.1.5", port: 80 }]);
    assert.deepEqual(plan.targetGroups[0]!.healthCheck, { protocol: "HTTP", path: "/ok", port: "traffic-port", successCodes: [200, 302], intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 5, unhealthyThreshold: 2 });
    assert.deepEqual(apiLoadBalancersUsing(store, store.get({ kind: "ElbTargetGroup", name: "tg" })!), ["web"]);
  });

  it("reports unused before a listener forwards to the group, then initial, healthy, and unhealthy with ELB's reasons", async () => {
    const balancer = (await call("CreateLoadBalancer", { Name: "web", Subnets: ["subnet-a", "subnet-b"] })).LoadBalancers[0];
    const group = (await call("CreateTargetGroup", { Name: "tg", Port: 80, VpcId: vpcId, TargetType: "ip" })).TargetGroups[0];
    elb.registerIpTargets(group.TargetGroupArn, [{ ip: "10.42.1.5", port: 80 }]);
    assert.deepEqual(await state(group.TargetGroupArn), [["unused", "Target.NotInUse"]]);
    await call("CreateListener", { LoadBalancerArn: balancer.LoadBalancerArn, Port: 80, DefaultActions: [{ Type: "forward", TargetGroupArn: group.TargetGroupArn }] });
    assert.deepEqual(await state(group.TargetGroupArn), [["initial", "Elb.RegistrationInProgress"]]);
    const check = (status: string, checkStatus: string, checkCode?: number) => (checks = [{ balancer: "web", targetGroup: "tg", ip: "10.42.1.5", port: 80, status, checkStatus, ...(checkCode ? { checkCode } : {}) }]);
    check("DOWN", "L7OK", 200);
    assert.deepEqual(await state(group.TargetGroupArn), [["initial", "Elb.InitialHealthChecking"]]);
    check("UP", "L7OK", 200);
    assert.deepEqual(await state(group.TargetGroupArn), [["healthy", undefined]]);
    check("DOWN", "L7STS", 404);
    const [description] = (await call("DescribeTargetHealth", { TargetGroupArn: group.TargetGroupArn })).TargetHealthDescriptions;
    assert.deepEqual(description.TargetHealth, { State: "unhealthy", Reason: "Target.ResponseCodeMismatch", Description: "Health checks failed with these codes: [404]" });
    check("DOWN", "L4TOUT");
    assert.deepEqual(await state(group.TargetGroupArn), [["unhealthy", "Target.Timeout"]]);
    check("DOWN", "L4CON");
    assert.deepEqual(await state(group.TargetGroupArn), [["unhealthy", "Target.FailedHealthChecks"]]);
  });

  it("registers and deregisters ip targets in process, keeping one of each and ignoring ones not there", async () => {
    const { group } = await stack();
    elb.registerIpTargets(group.TargetGroupArn, [{ ip: "10.42.1.5", port: 80 }]);
    elb.registerIpTargets(group.TargetGroupArn, [{ ip: "10.42.1.5", port: 80 }]);
    elb.deregisterIpTargets(group.TargetGroupArn, [{ ip: "10.42.1.6", port: 80 }]);
    assert.deepEqual(apiLoadBalancerPlan(store, "web")!.targetGroups[0]!.targets, [{ ip: "10.42.1.5", port: 80 }]);
    elb.deregisterIpTargets(group.TargetGroupArn, [{ ip: "10.42.1.5", port: 80 }]);
    assert.deepEqual(apiLoadBalancerPlan(store, "web")!.targetGroups[0]!.targets, []);
    assert.throws(() => elb.registerIpTargets(`${group.TargetGroupArn}0`, [{ ip: "10.42.1.5", port: 80 }]), /Target groups '.*' not found/);
  });

  it("moves a listener to another port and to a fixed response with ModifyListener, refusing a taken port", async () => {
    const { balancer, listener } = await stack();
    await call("CreateListener", { LoadBalancerArn: balancer.LoadBalancerArn, Port: 81, DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }] });
    assert.match(await code("ModifyListener", { ListenerArn: listener.ListenerArn, Port: 81 }), /^DuplicateListener: /);
    await call("ModifyListener", { ListenerArn: listener.ListenerArn, Port: 8080, DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "503", MessageBody: "down" } }] });
    assert.deepEqual(apiLoadBalancerPlan(store, "web")!.listeners.map((item) => [item.port, item.fixedResponse?.statusCode]), [[81, 404], [8080, 503]]);
    assert.deepEqual(apiLoadBalancerPlan(store, "web")!.targetGroups, [], "no listener forwards to the group any more");
  });

  it("refuses as ELB does: duplicates, a group in use, names, ranges and targets", async () => {
    const { balancer, group } = await stack();
    assert.equal(await code("CreateLoadBalancer", { Name: "web", Subnets: ["subnet-a", "subnet-b"] }), "DuplicateLoadBalancerName: A load balancer with the same name already exists");
    assert.match(await code("CreateLoadBalancer", { Name: "-web", Subnets: ["subnet-a", "subnet-b"] }), /^ValidationError: LoadBalancer name '-web' cannot begin or end with '-'$/);
    assert.match(await code("DeleteTargetGroup", { TargetGroupArn: group.TargetGroupArn }), /^ResourceInUse: /);
    assert.match(await code("CreateTargetGroup", { Name: "t2", Port: 80, VpcId: vpcId, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 5 }), /^ValidationError: Health check interval must be greater than the timeout\.$/);
    assert.match(await code("CreateTargetGroup", { Name: "t2", Port: 80, VpcId: "vpc-nope" }), /^ValidationError: The VPC ID 'vpc-nope' is not found$/);
    assert.match(await code("RegisterTargets", { TargetGroupArn: group.TargetGroupArn, Targets: [{ Id: "10.42.255.1" }] }), /^InvalidTarget: /);
    const instances = (await call("CreateTargetGroup", { Name: "inst", Port: 80, VpcId: vpcId })).TargetGroups[0];
    assert.match(await code("RegisterTargets", { TargetGroupArn: instances.TargetGroupArn, Targets: [{ Id: "i-0123" }] }), /^InvalidTarget: The following targets are not in a running state/);
    const tcp = (await call("CreateTargetGroup", { Name: "tcp", Protocol: "TCP", Port: 80, VpcId: vpcId, TargetType: "ip" })).TargetGroups[0];
    assert.match(await code("CreateListener", { LoadBalancerArn: balancer.LoadBalancerArn, Port: 81, DefaultActions: [{ Type: "forward", TargetGroupArn: tcp.TargetGroupArn }] }), /^IncompatibleProtocols: /);
    assert.match(await code("DescribeLoadBalancers", { LoadBalancerArns: [`${balancer.LoadBalancerArn}0`] }), /^LoadBalancerNotFound: /);
    await call("DeleteLoadBalancer", { LoadBalancerArn: balancer.LoadBalancerArn });
    assert.equal(apiLoadBalancerPlan(store, "web"), undefined);
    await call("DeleteTargetGroup", { TargetGroupArn: group.TargetGroupArn });
  });
});
