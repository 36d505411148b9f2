// The clock port: what time it is, and calling back after a delay. Everything that reads the
// time or waits (controllers, the node agent) takes a Clock in its constructor, so the product
// runs on `systemClock` and unit tests on a `FakeClock` whose time moves only when told.
//
// Timers never keep the process alive: a process ends when its real work ends.

export interface Timer {
  /** Stops the callback from running; harmless after it ran. */
  cancel(): void;
}

export interface Clock {
  now(): Date;
  /** Calls `callback` once, `delayMs` from now. */
  after(delayMs: number, callback: () => void): Timer;
}

/** The wall clock and Node's timers: the only place outside tests that reads either. */
export const systemClock: Clock = {
  now: () => new Date(),
  after(delayMs, callback) {
    const timeout = setTimeout(callback, Math.max(0, delayMs));
    timeout.unref();
    return { cancel: () => clearTimeout(timeout) };
  },
};

/** An RFC 3339 timestamp in whole seconds, as Kubernetes writes them. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export { FakeClock } from "./_fake.js";
