// A clock for unit tests: time stands still until `advance()` moves it, and the timers that
// fall due on the way run in order of their due time (ties in order of creation), each with
// the clock showing its due time. Nothing waits for real time.

import type { Clock, Timer } from "./mod.js";

interface Pending {
  dueMs: number;
  sequence: number;
  callback: () => void;
}

export class FakeClock implements Clock {
  #nowMs: number;
  #sequence = 0;
  readonly #pending = new Set<Pending>();

  constructor(start: Date = new Date("2026-01-01T00:00:00Z")) {
    this.#nowMs = start.getTime();
  }

  now(): Date {
    return new Date(this.#nowMs);
  }

  after(delayMs: number, callback: () => void): Timer {
    const entry: Pending = { dueMs: this.#nowMs + Math.max(0, delayMs), sequence: this.#sequence++, callback };
    this.#pending.add(entry);
    return { cancel: () => void this.#pending.delete(entry) };
  }

  /** Moves time forward by `ms`, running every timer that falls due (including ones they set). */
  advance(ms: number): void {
    const endMs = this.#nowMs + ms;
    for (;;) {
      const next = this.#next();
      if (!next || next.dueMs > endMs) break;
      this.#pending.delete(next);
      this.#nowMs = Math.max(this.#nowMs, next.dueMs);
      next.callback();
    }
    this.#nowMs = endMs;
  }

  /** How many timers wait to run. */
  pendingTimers(): number {
    return this.#pending.size;
  }

  /** Milliseconds until the next timer is due, or undefined when none waits. */
  untilNextMs(): number | undefined {
    const next = this.#next();
    return next ? next.dueMs - this.#nowMs : undefined;
  }

  #next(): Pending | undefined {
    let first: Pending | undefined;
    for (const entry of this.#pending) {
      if (!first || entry.dueMs < first.dueMs || (entry.dueMs === first.dueMs && entry.sequence < first.sequence)) first = entry;
    }
    return first;
  }
}
