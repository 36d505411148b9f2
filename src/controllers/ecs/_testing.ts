// What the ECS controller's unit tests share: the ECS service and the controller over the
// in-memory store and a fake clock, one VPC with a subnet and its default group, and writing
// pod progress as the scheduler and the agent would.

import { FakeClock } from "../../clock/mod.js";
import type { TaskMetadata } from "../../domain/ecs/mod.js";
import { createEcsService, type EcsOperations, type EcsService } from "../../services/ecs/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import type { ControllerRuntime } from "../runtime/mod.js";
import { createEcsController, type TargetGroupPort } from "./mod.js";

export const subnet = "subnet-042a0000000000001";

export interface Fixture {
  store: Store;
  clock: FakeClock;
  ecs: EcsOperations;
  service: EcsService;
  controller: ControllerRuntime;
  /** Every task set published for the metadata endpoint, in order. */
  published: TaskMetadata[][];
}

/** Target groups as the ELBv2 service would keep them: by ARN, with their "ip:port" targets. */
export class FakeTargetGroups implements TargetGroupPort {
  readonly groups = new Map<string, { targetType: string; loadBalancerArns: string[]; deregistrationDelaySeconds: number; healthCheck?: { intervalSeconds: number; unhealthyThreshold: number }; targets: Set<string> }>();

  add(arn: string, options: { targetType?: string; loadBalancerArns?: string[]; deregistrationDelaySeconds?: number; healthCheck?: { intervalSeconds: number; unhealthyThreshold: number } } = {}): void {
    this.groups.set(arn, {
      targetType: options.targetType ?? "ip",
      loadBalancerArns: options.loadBalancerArns ?? ["arn:lb"],
      deregistrationDelaySeconds: options.deregistrationDelaySeconds ?? 300,
      ...(options.healthCheck ? { healthCheck: options.healthCheck } : {}),
      targets: new Set(),
    });
  }

  registerIpTargets(arn: string, targets: readonly { ip: string; port: number }[]): void {
    for (const target of targets) this.#group(arn).targets.add(`${target.ip}:${target.port}`);
  }

  deregisterIpTargets(arn: string, targets: readonly { ip: string; port: number }[]): void {
    for (const target of targets) this.#group(arn).targets.delete(`${target.ip}:${target.port}`);
  }

  targetGroup(arn: string) {
    return this.groups.get(arn);
  }

  /** "ip:port" of targets the fake's checks find unhealthy; registered others are healthy. */
  readonly unhealthy = new Set<string>();

  async targetHealth(arn: string, targets: readonly { ip: string; port: number }[]) {
    const group = this.#group(arn);
    return targets.map((target) => {
      const key = `${target.ip}:${target.port}`;
      if (!group.targets.has(key)) return { target, state: "unused", reason: "Target.NotRegistered" };
      return this.unhealthy.has(key) ? { target, state: "unhealthy", reason: "Target.ResponseCodeMismatch", description: "Health checks failed with these codes: [404]" } : { target, state: "healthy" };
    });
  }

  #group(arn: string) {
    const group = this.groups.get(arn);
    if (!group) throw new Error(`Target groups '${arn}' not found`);
    return group;
  }
}

export async function fixture(targetGroups?: FakeTargetGroups): Promise<Fixture> {
  const store = createMemoryStore();
  const clock = new FakeClock();
  store.create({ apiVersion: "ec2.moor.dev/v1", kind: "Vpc", metadata: { name: "vpc-1" }, spec: { defaultSecurityGroupId: "sg-default" } });
  store.create({ apiVersion: "ec2.moor.dev/v1", kind: "Subnet", metadata: { name: subnet }, spec: { vpcId: "vpc-1", availabilityZone: "us-west-2a" } });
  store.create({ apiVersion: "ec2.moor.dev/v1", kind: "SecurityGroup", metadata: { name: "sg-default" }, spec: { vpcId: "vpc-1" } });
  let ids = 0;
  let uuids = 0;
  const service = createEcsService({ store, region: "us-west-2", accountId: "123456789012", now: () => clock.now(), randomHex: () => (++ids).toString(16).padStart(32, "0"), randomUuid: () => `uuid-${++uuids}`, ...(targetGroups ? { targetGroup: (arn: string) => targetGroups.targetGroup(arn) } : {}) });
  service.operations.CreateCluster({ clusterName: "demo" });
  const published: TaskMetadata[][] = [];
  const publishTaskMetadata = (tasks: TaskMetadata[]) => published.push(tasks);
  const controller = createEcsController({ store, clock, region: "us-west-2", accountId: "123456789012", ecs: service, publishTaskMetadata, ...(targetGroups ? { targetGroups } : {}) });
  await controller.start();
  return { store, clock, ecs: service.operations, service, controller, published };
}

/** Lets the controller run, the fake clock moving in small steps. */
export async function settle(f: Fixture, steps = 20): Promise<void> {
  await f.controller.settled();
  for (let step = 0; step < steps; step++) {
    f.clock.advance(25);
    await f.controller.settled();
  }
}

export const running = (name: string) => ({ name, ready: true, containerID: "runc://abc", state: { running: { startedAt: "2026-01-01T00:00:01Z" } } });
export const exited = (name: string, exitCode: number) => ({ name, ready: false, state: { terminated: { exitCode, reason: "Error" } } });

/** Writes a pod's progress: a node, an address, container states, a phase. */
export function podProgress(store: Store, name: string, change: { nodeName?: string; podIP?: string; containerStatuses?: object[]; phase?: string }): void {
  const pod = store.get({ kind: "Pod", namespace: "aws-ecs", name })!;
  store.update({ ...pod, spec: { ...pod.spec, ...(change.nodeName ? { nodeName: change.nodeName } : {}) }, status: { ...pod.status, ...change } });
}

/** Every task pod not yet running starts running (or, with `exitCode`, exits before it ran). */
export function runPods(store: Store, exitCode?: number): void {
  let address = 10;
  for (const pod of store.list("Pod", { namespace: "aws-ecs" }).items) {
    address++;
    if (pod.status?.containerStatuses || pod.metadata.deletionTimestamp) continue;
    const names = (pod.spec.containers as { name: string }[]).map((container) => container.name);
    const statuses = names.map((name) => (exitCode === undefined ? running(name) : exited(name, exitCode)));
    podProgress(store, pod.metadata.name, { nodeName: `n-${address}`, podIP: `10.42.0.${address}`, containerStatuses: statuses, phase: exitCode === undefined ? "Running" : "Failed" });
  }
}
