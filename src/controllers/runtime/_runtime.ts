// The runtime's moving parts: the store watches that feed each controller's queue, the resync
// timers, and one worker per controller that reconciles its keys one at a time.

import type { Clock, Timer } from "../../clock/mod.js";
import type { Component } from "../../component/mod.js";
import { isMoorError } from "../../errors/mod.js";
import type { Store, WatchEvent } from "../../store/mod.js";
import { batchMax, type Controller, resyncIntervalMaxMs } from "./mod.js";
import { WorkQueue } from "./_queue.js";

export interface ControllerRuntimeOptions {
  /** The component's name (what `moor` logs and stops by). */
  name: string;
  store: Store;
  clock: Clock;
  controllers: Controller[];
}

interface Worker {
  controller: Controller;
  queue: WorkQueue;
  /** A drain is scheduled or running. */
  busy: boolean;
  draining: Promise<void>;
  resync: Timer | undefined;
}

export class ControllerRuntime implements Component {
  readonly name: string;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #workers: Worker[];
  #unsubscribe: (() => void)[] = [];
  #idleWaiters: (() => void)[] = [];
  #stopped = true;

  constructor(options: ControllerRuntimeOptions) {
    this.name = options.name;
    this.#store = options.store;
    this.#clock = options.clock;
    this.#workers = options.controllers.map((controller) => {
      // The queue wakes its worker only once keys arrive, after both exist.
      const queue = new WorkQueue(controller.name, options.clock, () => this.#schedule(worker));
      const worker: Worker = { controller, queue, busy: false, draining: Promise.resolve(), resync: undefined };
      return worker;
    });
  }

  async start(): Promise<void> {
    this.#stopped = false;
    for (const { queue } of this.#workers) queue.open();
    const kinds = new Set<string>();
    let everyKind = false;
    for (const { controller } of this.#workers) {
      if (controller.kinds.length === 0) everyKind = true;
      controller.kinds.forEach((kind) => kinds.add(kind));
    }
    const listener = (event: WatchEvent) => this.#onEvent(event);
    if (everyKind) this.#unsubscribe.push(this.#store.watch({}, listener));
    else for (const kind of kinds) this.#unsubscribe.push(this.#store.watch({ kind }, listener));
    for (const worker of this.#workers) this.#resync(worker);
  }

  /** Ends the watches and timers, drops what waits, and lets the reconcile in flight finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe.forEach((unsubscribe) => unsubscribe());
    this.#unsubscribe = [];
    for (const worker of this.#workers) {
      worker.resync?.cancel();
      worker.queue.close();
    }
    await Promise.all(this.#workers.map((worker) => worker.draining));
    this.#wakeIdle();
  }

  /** Queues a key of the named controller, as a store change would. */
  enqueue(controllerName: string, key: string): void {
    this.#workers.find((worker) => worker.controller.name === controllerName)?.queue.add(key);
  }

  /** Resolves when no key is ready and no reconcile runs (keys waiting for a delay aside). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Like `idle()`, and still idle after a turn of the event loop (I/O callbacks included): for tests. */
  async settled(): Promise<void> {
    for (;;) {
      await this.idle();
      await nextTurn();
      if (this.#isIdle()) return;
    }
  }

  #isIdle(): boolean {
    return this.#stopped || this.#workers.every((worker) => !worker.busy && worker.queue.readyLength === 0);
  }

  #wakeIdle(): void {
    if (!this.#isIdle()) return;
    const waiting = this.#idleWaiters;
    this.#idleWaiters = [];
    waiting.forEach((resolve) => resolve());
  }

  #onEvent(event: WatchEvent): void {
    for (const { controller, queue } of this.#workers) {
      if (controller.kinds.length > 0 && !controller.kinds.includes(event.object.kind)) continue;
      try {
        for (const key of controller.keysFor(event)) queue.add(key);
      } catch (error) {
        console.error(`moor: ${controller.name}: mapping a change of ${event.object.kind} "${event.object.metadata.name}" to keys failed:`, error);
      }
    }
  }

  #resync(worker: Worker): void {
    if (this.#stopped) return;
    try {
      for (const key of worker.controller.allKeys()) worker.queue.add(key);
    } catch (error) {
      console.error(`moor: ${worker.controller.name}: listing keys for a resync failed:`, error);
    }
    const intervalMs = Math.min(worker.controller.resyncIntervalMs ?? resyncIntervalMaxMs, resyncIntervalMaxMs);
    worker.resync = this.#clock.after(intervalMs, () => this.#resync(worker));
  }

  /** Starts the worker's drain on the next turn, so a burst of changes is drained as one. */
  #schedule(worker: Worker): void {
    if (worker.busy || this.#stopped) return;
    worker.busy = true;
    worker.draining = nextTurn().then(() => this.#drain(worker));
  }

  async #drain(worker: Worker): Promise<void> {
    try {
      let turn = 0;
      for (let key = worker.queue.take(); key !== undefined && !this.#stopped; key = worker.queue.take()) {
        await this.#reconcileOne(worker, key);
        if (++turn >= batchMax) {
          turn = 0;
          await nextTurn();
        }
      }
    } finally {
      worker.busy = false;
      this.#wakeIdle();
    }
  }

  async #reconcileOne({ controller, queue }: Worker, key: string): Promise<void> {
    try {
      const again = await controller.reconcile(key);
      queue.forget(key);
      if (typeof again === "number" && again >= 0) queue.addAfter(key, again);
    } catch (error) {
      const { failures, delayMs } = queue.retry(key);
      // Losing an optimistic race is routine: the retry reads the new state.
      const routine = isMoorError(error) && (error.category === "Conflict" || error.category === "AlreadyExists" || error.category === "NotFound");
      if (!routine && (failures === 1 || failures % 10 === 0)) {
        const cause = isMoorError(error) ? error.message : error;
        console.error(`moor: ${controller.name}: reconciling "${key}" failed (attempt ${failures}, retry in ${Math.round(delayMs)} ms):`, cause);
      }
    }
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
