// The controller runtime: every controller in Moor is a level-triggered reconciler on it.
//
// A controller names the kinds it watches, maps each store change to the keys it concerns,
// lists every key it should look at (on start and on each resync), and reconciles one key at a
// time towards its desired state. Nothing depends on having seen an event: a missed change or a
// restart is repaired by the next resync, which re-reads the store.
//
// Per controller the runtime keeps one bounded work queue: a key waits at most once however often
// it is enqueued; one reconcile runs at a time; a failed key is retried with per-key exponential
// back-off under a per-controller bound on retries per second; a reconcile may ask to look again
// after a delay. Every bound has a named `...Max` below. Time and timers come from the injected
// Clock, so unit tests run on a FakeClock and never sleep.
//
// Lifecycle: `new ControllerRuntime({ name, store, clock, controllers })`; `start()` subscribes
// to the store and enqueues every key; `stop()` ends the watches and timers and waits for the
// reconcile in flight; `idle()`/`settled()` let tests wait for the queues to drain.
//
// Keys: one format for every controller, `Kind/namespace/name` (`Kind//name` when
// cluster-scoped), made by `objectKey` and split by `splitKey`.

import { invalid } from "../../errors/mod.js";
import type { ObjectKey, WatchEvent } from "../../store/mod.js";

/** Keys waiting in one controller's queue (delayed ones included); past it, keys are dropped until the next resync. */
export const queueLengthMax = 100_000;
/** The longest back-off between retries of one failing key. */
export const retryDelayMaxMs = 5_000;
/** The first retry's delay; each further failure doubles it, up to `retryDelayMaxMs`. */
export const retryDelayBaseMs = 25;
/** Retries of one controller per second, across all its keys, once its burst is spent. */
export const retriesPerSecondMax = 50;
/** Retries one controller may run at once before `retriesPerSecondMax` applies. */
export const retryBurstMax = 100;
/** Keys one controller reconciles in one turn of the event loop before yielding to I/O. */
export const batchMax = 64;
/** The longest time between two full resyncs; a controller may ask for a shorter one. */
export const resyncIntervalMaxMs = 30_000;

/** Milliseconds after which to reconcile the key again even if nothing changes, or nothing. */
export type ReconcileResult = number | void;

export interface Controller {
  readonly name: string;
  /** Kinds whose changes matter (none: every kind); each change is mapped to keys by `keysFor`. */
  readonly kinds: readonly string[];
  keysFor(event: WatchEvent): string[];
  /** Every key to reconcile on start and on each resync. */
  allKeys(): string[];
  /** Brings one key towards its desired state; a throw retries it with back-off. */
  reconcile(key: string): ReconcileResult | Promise<ReconcileResult>;
  /** How often to resync, at most `resyncIntervalMaxMs` (the default). */
  readonly resyncIntervalMs?: number;
}

/** The one key format: `Kind/namespace/name`, the namespace empty for cluster-scoped objects. */
export function objectKey(reference: ObjectKey): string {
  return `${reference.kind}/${reference.namespace ?? ""}/${reference.name}`;
}

/** The parts of a key made by `objectKey` (cluster-scoped: namespace ""). */
export function splitKey(key: string): { kind: string; namespace: string; name: string } {
  const first = key.indexOf("/");
  const second = key.indexOf("/", first + 1);
  if (first < 0 || second < 0) throw invalid(`Cannot split controller key "${key}": it is not Kind/namespace/name`);
  return { kind: key.slice(0, first), namespace: key.slice(first + 1, second), name: key.slice(second + 1) };
}

export { ControllerRuntime, type ControllerRuntimeOptions } from "./_runtime.js";
