// One controller's work queue: keys ready to reconcile (each at most once, in arrival order),
// keys waiting for a delay (a requested look-again or a retry), the failures of each key for its
// back-off, and the controller-wide bound on retries per second. Bounded by `queueLengthMax`.

import type { Clock, Timer } from "../../clock/mod.js";
import { queueLengthMax, retriesPerSecondMax, retryBurstMax, retryDelayBaseMs, retryDelayMaxMs } from "./mod.js";

interface Delayed {
  dueMs: number;
  timer: Timer;
}

export class WorkQueue {
  readonly #name: string;
  readonly #clock: Clock;
  readonly #wake: () => void;
  readonly #ready = new Set<string>();
  readonly #delayed = new Map<string, Delayed>();
  readonly #failures = new Map<string, number>();
  /** The retry limiter's schedule (a generic cell rate algorithm): when the next retry is due at the steady rate. */
  #retryScheduleMs = Number.NEGATIVE_INFINITY;
  #full = false;
  #closed = false;

  constructor(name: string, clock: Clock, wake: () => void) {
    this.#name = name;
    this.#clock = clock;
    this.#wake = wake;
  }

  /** Keys ready to reconcile. */
  get readyLength(): number {
    return this.#ready.size;
  }

  /** Keys waiting for a delay. */
  get delayedLength(): number {
    return this.#delayed.size;
  }

  /** Makes the key ready; returns whether it is queued (false when closed or full). */
  add(key: string): boolean {
    if (this.#closed) return false;
    if (this.#ready.has(key)) return true;
    if (!this.#hasRoom()) return false;
    this.#ready.add(key);
    this.#wake();
    return true;
  }

  /** Makes the key ready after `delayMs`; an earlier wait already set for it stands. */
  addAfter(key: string, delayMs: number): void {
    if (this.#closed) return;
    const dueMs = this.#clock.now().getTime() + Math.max(0, delayMs);
    const existing = this.#delayed.get(key);
    if (existing && existing.dueMs <= dueMs) return;
    if (existing) existing.timer.cancel();
    else if (!this.#hasRoom()) return;
    const timer = this.#clock.after(delayMs, () => {
      this.#delayed.delete(key);
      this.add(key);
    });
    this.#delayed.set(key, { dueMs, timer });
  }

  /** The next ready key, removed from the queue. */
  take(): string | undefined {
    const key = this.#ready.values().next().value;
    if (key !== undefined) this.#ready.delete(key);
    return key;
  }

  /** Counts a failure of the key and queues its retry; returns the failures so far and the delay. */
  retry(key: string): { failures: number; delayMs: number } {
    const failures = (this.#failures.get(key) ?? 0) + 1;
    this.#failures.set(key, failures);
    const backOffMs = Math.min(retryDelayBaseMs * 2 ** Math.min(failures - 1, 30), retryDelayMaxMs);
    const nowMs = this.#clock.now().getTime();
    const delayMs = this.#admitRetry(nowMs + backOffMs) - nowMs;
    this.addAfter(key, delayMs);
    return { failures, delayMs };
  }

  /** The key succeeded: its next failure starts the back-off afresh. */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  /** Accepts keys again after `close()` (a component started anew). */
  open(): void {
    this.#closed = false;
  }

  /** Drops every key and timer and accepts no more. */
  close(): void {
    this.#closed = true;
    for (const delayed of this.#delayed.values()) delayed.timer.cancel();
    this.#delayed.clear();
    this.#ready.clear();
    this.#failures.clear();
  }

  #hasRoom(): boolean {
    const room = this.#ready.size + this.#delayed.size < queueLengthMax;
    // Say it once per episode of being full, not once per dropped key.
    if (!room && !this.#full) console.error(`moor: ${this.#name}: work queue full (${queueLengthMax} keys): dropping keys until the next resync`);
    this.#full = !room;
    return room;
  }

  /** The earliest time a retry wanted at `wantedMs` may run: a burst of retryBurstMax, then retriesPerSecondMax. */
  #admitRetry(wantedMs: number): number {
    const intervalMs = 1000 / retriesPerSecondMax;
    const atMs = Math.max(wantedMs, this.#retryScheduleMs - (retryBurstMax - 1) * intervalMs);
    this.#retryScheduleMs = Math.max(this.#retryScheduleMs, atMs) + intervalMs;
    return atMs;
  }
}
