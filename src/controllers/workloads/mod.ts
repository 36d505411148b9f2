// The workload controllers: Deployment, ReplicaSet, StatefulSet, Job, the garbage collector
// (ownerReferences), namespace deletion, the Endpoints of services with selectors, and the
// in-use protection of claims and volumes. Level-triggered reconcilers over the store: each
// reads the desired state and writes the next step towards it, idempotently, so a restart
// (which re-reads everything) loses nothing. What they do is recorded as Events.
//
// Lifecycle: `createWorkloadControllers({ store, clock })` builds them on one controller
// runtime; `start()` watches the store and resyncs every object; `stop()` ends the watch and
// every timer.

import { createRecorder } from "../../events/mod.js";
import type { Store } from "../../store/mod.js";
import type { Clock } from "../../clock/mod.js";
import { ControllerRuntime } from "../runtime/mod.js";
import type { Sources } from "./_objects.js";
import { createDeploymentReconciler } from "./_deployment.js";
import { createEndpointsReconciler } from "./_endpoints.js";
import { createGarbageCollector } from "./_gc.js";
import { createJobReconciler } from "./_job.js";
import { createNamespaceReconciler } from "./_namespace.js";
import { createProtectionReconciler } from "./_protection.js";
import { createReplicaSetReconciler } from "./_replicaset.js";
import { createStatefulSetReconciler } from "./_statefulset.js";

export interface WorkloadControllerOptions {
  store: Store;
  clock: Clock;
  /** Randomness for generated pod names (seeded in tests). */
  random?: () => number;
}

export interface WorkloadControllers {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once every queued reconcile has run (for tests; delayed retries aside). */
  settled(): Promise<void>;
}

export function createWorkloadControllers(options: WorkloadControllerOptions): WorkloadControllers {
  const { store } = options;
  const clock: Sources = { now: () => options.clock.now(), random: options.random ?? Math.random };
  const recorder = (component: string) => createRecorder(store, { component }, clock.now);
  const controllers = [
    createDeploymentReconciler(store, clock, recorder("deployment-controller")),
    createReplicaSetReconciler(store, clock, recorder("replicaset-controller")),
    createStatefulSetReconciler(store, clock, recorder("statefulset-controller")),
    createJobReconciler(store, clock, recorder("job-controller")),
    createGarbageCollector(store, clock),
    createNamespaceReconciler(store, clock),
    createEndpointsReconciler(store, clock),
    createProtectionReconciler(store, clock),
  ];
  return new ControllerRuntime({ name: "workload-controllers", store, clock: options.clock, controllers });
}
