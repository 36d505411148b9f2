// The awslogs controller: the `awslogs` log driver's job. For every pod carrying the
// `moor.dev/awslogs` annotation (the ECS service sets it from a container definition's
// logConfiguration; any pod may carry it), it follows each named container's output through
// the agent's PodIO port and appends it, line by line with the line's timestamp, to the named
// CloudWatch Logs group and stream through the logs service. A container run (one restart
// count) is shipped once, even across restarts of Moor. When the group does not exist and the
// annotation does not ask to create it, a Warning event on the pod says so in the ECS agent's
// words. Every minute it also drops events past their group's retention.
//
// Lifecycle: `createAwsLogsController(options)`; `start()` starts the runtime and the retention
// sweep; `stop()` stops following (the marks stay) and the runtime.

import type { Clock, Timer } from "../../clock/mod.js";
import type { Component } from "../../component/mod.js";
import type { Pod } from "../../domain/kube/mod.js";
import { isMoorError } from "../../errors/mod.js";
import { createRecorder } from "../../events/mod.js";
import type { LogsService } from "../../services/logs/mod.js";
import type { Store } from "../../store/mod.js";
import type { PodIO } from "../../agent/mod.js";
import { type Controller, ControllerRuntime, objectKey, splitKey } from "../runtime/mod.js";
import { awsLogsAnnotation, destinationsOf } from "./_annotation.js";
import { ship, type ShipProgress, type ShipTarget } from "./_shipper.js";

export { awsLogsAnnotation } from "./_annotation.js";
export type { ShipProgress } from "./_shipper.js";

export interface AwsLogsControllerOptions {
  store: Store;
  clock: Clock;
  logs: LogsService;
  podIO: () => PodIO;
  progress: ShipProgress;
  accountId: string;
  region: string;
}

export interface AwsLogsController extends Component {
  /** Resolves when every run being followed now has ended (tests). */
  drained(): Promise<void>;
  settled(): Promise<void>;
}

const retentionSweepMs = 60_000;
/** How soon to look again at a pod whose annotated containers have not all started. */
const waitingRecheckMs = 1_000;

interface Run {
  abort: AbortController;
  done: Promise<void>;
}

/** The runs of a pod's annotated containers that have started (running or ended). */
function startedRuns(pod: Pod, containers: Iterable<string>): { container: string; restartCount: number }[] {
  const statuses = (pod.status?.containerStatuses ?? []) as { name: string; restartCount?: number; state?: { running?: unknown; terminated?: unknown } }[];
  const runs = [];
  for (const container of containers) {
    const status = statuses.find((entry) => entry.name === container);
    if (status?.state?.running || status?.state?.terminated) runs.push({ container, restartCount: status.restartCount ?? 0 });
  }
  return runs;
}

/** The runtime's view: annotated pods, by key. */
function podController(store: Store, reconcile: (key: string) => number | undefined): Controller {
  return {
    name: "awslogs",
    kinds: ["Pod"],
    keysFor: (event) => (event.object.metadata.annotations?.[awsLogsAnnotation] !== undefined ? [objectKey({ kind: "Pod", namespace: event.object.metadata.namespace, name: event.object.metadata.name })] : []),
    allKeys: () =>
      store
        .list("Pod")
        .items.filter((pod) => pod.metadata.annotations?.[awsLogsAnnotation] !== undefined)
        .map((pod) => objectKey({ kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name })),
    reconcile,
  };
}

/** Drops events past their group's retention every `retentionSweepMs`. */
function retentionSweeper(options: AwsLogsControllerOptions): { start(): void; stop(): void } {
  let sweep: Timer | undefined;
  const sweepRetention = () => {
    try {
      options.logs.expireEvents();
    } catch (error) {
      console.error("moor: dropping log events past their retention failed:", error);
    }
    sweep = options.clock.after(retentionSweepMs, sweepRetention);
  };
  return {
    start: () => void (sweep = options.clock.after(retentionSweepMs, sweepRetention)),
    stop: () => sweep?.cancel(),
  };
}

export function createAwsLogsController(options: AwsLogsControllerOptions): AwsLogsController {
  const { store } = options;
  const recorder = createRecorder(store, { component: "awslogs" });
  const runs = new Map<string, Run>();
  /** Runs shipped to their end, by pod key; forgotten with the pod. */
  const finished = new Map<string, Set<string>>();
  const context = { logs: options.logs, podIO: options.podIO, progress: options.progress, clock: options.clock, accountId: options.accountId, region: options.region };

  const follow = (podKey: string, pod: Pod, target: ShipTarget) => {
    const abort = new AbortController();
    const done = ship(context, target, abort.signal).then(
      () => void finished.set(podKey, (finished.get(podKey) ?? new Set()).add(target.runKey)),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        if (isMoorError(error) && error.code) recorder.record(pod, "Warning", "AwsLogsFailed", error.message);
        else console.error(`moor: shipping the output of container "${target.container}" of pod "${target.pod.name}" failed:`, error);
      },
    ).finally(() => runs.delete(target.runKey));
    runs.set(target.runKey, { abort, done });
  };

  const reconcilePod = (key: string) => {
    const { namespace, name } = splitKey(key);
    const pod = store.get({ kind: "Pod", namespace, name }) as Pod | undefined;
    if (!pod) {
      finished.delete(key);
      return;
    }
    const destinations = destinationsOf(pod.metadata.annotations);
    if (typeof destinations === "string") {
      recorder.record(pod, "Warning", "AwsLogsFailed", `Cannot ship the pod's output: ${destinations}`);
      return;
    }
    const started = startedRuns(pod, destinations.keys());
    for (const { container, restartCount } of started) {
      const runKey = `${pod.metadata.uid}/${container}/${restartCount}`;
      if (runs.has(runKey) || finished.get(key)?.has(runKey)) continue;
      follow(key, pod, { pod: { namespace, name }, container, runKey, destination: destinations.get(container)! });
    }
    return started.length < destinations.size ? waitingRecheckMs : undefined;
  };

  const controller = podController(store, reconcilePod);
  const runtime = new ControllerRuntime({ name: "awslogs", store, clock: options.clock, controllers: [controller] });
  const sweeper = retentionSweeper(options);
  return {
    name: "awslogs-controller",
    async start() {
      await runtime.start();
      sweeper.start();
    },
    async stop() {
      sweeper.stop();
      await runtime.stop();
      for (const run of runs.values()) run.abort.abort();
      await Promise.all([...runs.values()].map((run) => run.done));
    },
    drained: async () => {
      await Promise.all([...runs.values()].map((run) => run.done));
    },
    settled: () => runtime.settled(),
  };
}
