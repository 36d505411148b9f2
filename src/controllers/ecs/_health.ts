// ECS's replacement of a service's tasks that fail their load balancer's health checks. Every
// couple of seconds, each RUNNING task of a service with `loadBalancers`, started longer ago than
// the service's `healthCheckGracePeriodSeconds`, whose target is `unhealthy` in one of its target
// groups (DescribeTargetHealth's state, from the proxy's real checks) and has stayed so for the
// group's health-check interval times (UnhealthyThresholdCount - 1) is told to stop, as ECS
// does (DescribeTargetHealth may call a target that never passed unhealthy at its first failed
// check; ELB waits for the threshold, and so does this): the stop reason "Task failed ELB health checks in (target-group <arn>)" and the service
// events "(port P) is unhealthy in (target-group <arn>) due to (reason ...)" and "has stopped 1
// running tasks". The task is deregistered and drained as any stopping task (_targets.ts), and
// the service scheduler starts its replacement at once (_service.ts: it keeps the desired count
// of tasks that are to run). A target that is `initial`, draining or unchecked is left alone.

import type { Clock, Timer } from "../../clock/mod.js";
import type { EcsService } from "../../services/ecs/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import { graceLeftMs, stopForHealth } from "./_service.js";
import type { TargetGroupPort } from "./_targets.js";

export interface TargetHealthWatcherOptions {
  store: Store;
  clock: Clock;
  ecs: EcsService;
  targetGroups: TargetGroupPort;
  /** Between sweeps; 2 s unless given. */
  intervalMs?: number;
}

interface ServiceLoadBalancer {
  targetGroupArn: string;
  containerPort: number;
}

const intervalMsDefault = 2_000;

export class TargetHealthWatcher {
  readonly name = "ecs-target-health";
  readonly #options: TargetHealthWatcherOptions;
  #timer: Timer | undefined;
  #running = false;
  #sweeping: Promise<void> | undefined;
  /** "<task> <group>" → when its target was first seen unhealthy (in a row). */
  readonly #unhealthySince = new Map<string, number>();

  constructor(options: TargetHealthWatcherOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    this.#running = true;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#timer?.cancel();
    await this.#sweeping;
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#timer = this.#options.clock.after(this.#options.intervalMs ?? intervalMsDefault, () => {
      this.#sweeping = this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => console.error("moor: ecs: checking targets' health failed:", error))
        .finally(() => this.#schedule());
    });
  }

  /** One pass over every service with load balancers; answers the tasks it stopped. */
  async sweep(): Promise<string[]> {
    const { store } = this.#options;
    const stopped: string[] = [];
    if (this.#unhealthySince.size > 0) {
      const live = new Set(store.list("EcsTask").items.filter((task) => task.spec?.desiredStatus === "RUNNING").map((task) => task.metadata.name));
      for (const key of this.#unhealthySince.keys()) if (!live.has(key.split(" ")[0]!)) this.#unhealthySince.delete(key);
    }
    const services = store.list("EcsService").items.filter((service) => service.status?.status === "ACTIVE" && ((service.spec?.loadBalancers ?? []) as unknown[]).length > 0);
    for (const service of services) stopped.push(...(await this.#sweepService(service)));
    return stopped;
  }

  async #sweepService(service: StoredObject): Promise<string[]> {
    const { store, clock, targetGroups } = this.#options;
    if (!targetGroups.targetHealth) return [];
    const cluster = service.metadata.namespace ?? "";
    const candidates = store.list("EcsTask", { namespace: cluster }).items.filter(
      (task) => task.spec?.serviceName === service.metadata.name && task.spec?.desiredStatus === "RUNNING" && task.status?.lastStatus === "RUNNING" && task.status?.privateIPv4Address && graceLeftMs(service, task, clock.now().getTime()) <= 0,
    );
    const stopped: string[] = [];
    for (const entry of (service.spec?.loadBalancers ?? []) as ServiceLoadBalancer[]) {
      const tasks = candidates.filter((task) => !stopped.includes(task.metadata.name));
      const byAddress = new Map(tasks.map((task) => [String(task.status!.privateIPv4Address), task]));
      let health;
      try {
        health = await targetGroups.targetHealth(entry.targetGroupArn, tasks.map((task) => ({ ip: String(task.status!.privateIPv4Address), port: entry.containerPort })));
      } catch {
        continue; // The group went away: nothing to judge.
      }
      const check = targetGroups.targetGroup(entry.targetGroupArn)?.healthCheck;
      const holdMs = check ? Math.max(0, check.unhealthyThreshold - 1) * check.intervalSeconds * 1000 : 0;
      for (const target of health) {
        const task = byAddress.get(target.target.ip);
        if (!task || !this.#failedLongEnough(`${task.metadata.name} ${entry.targetGroupArn}`, target.state, holdMs)) continue;
        const current = store.get({ kind: "EcsTask", namespace: cluster, name: task.metadata.name });
        if (!current || current.spec?.desiredStatus !== "RUNNING") continue;
        const reason = target.description ?? target.reason ?? "Health checks failed";
        const why = `(port ${entry.containerPort}) is unhealthy in (target-group ${entry.targetGroupArn}) due to (reason ${reason}).`;
        stopForHealth(this.#options, service, [current], `Task failed ELB health checks in (target-group ${entry.targetGroupArn})`, [why]);
        stopped.push(current.metadata.name);
      }
    }
    return stopped;
  }

  /** Whether the target under `key` has now been unhealthy for `holdMs` in a row (then it is forgotten). */
  #failedLongEnough(key: string, state: string, holdMs: number): boolean {
    if (state !== "unhealthy") {
      this.#unhealthySince.delete(key);
      return false;
    }
    const nowMs = this.#options.clock.now().getTime();
    const since = this.#unhealthySince.get(key) ?? nowMs;
    this.#unhealthySince.set(key, since);
    if (nowMs - since < holdMs) return false;
    this.#unhealthySince.delete(key);
    return true;
  }
}
