// A level-triggered reconciler: store changes enqueue keys, one worker reconciles each key with
// the latest state, failures retry with back-off, and a periodic resync re-reads everything so a
// missed event or a restart loses nothing. Keys are de-duplicated while queued.

import type { Store, WatchEvent } from "../../store/mod.js";
import type { Component } from "../../component/mod.js";

export interface ReconcileResult {
  /** Reconcile this key again after this delay even if nothing changes. */
  requeueAfterMs?: number;
}

export interface ReconcilerOptions {
  name: string;
  store: Store;
  /** Kinds whose changes matter; each change is mapped to keys by `keysFor`. */
  kinds: string[];
  keysFor(event: WatchEvent): string[];
  /** Every key that should be reconciled at start and on resync. */
  allKeys(): string[];
  reconcile(key: string): Promise<ReconcileResult | void> | ReconcileResult | void;
  resyncMs?: number;
  queueMax?: number;
}

const retryBaseMs = 100;
const retryMaxMs = 10_000;

export class Reconciler implements Component {
  readonly name: string;
  readonly #options: ReconcilerOptions;
  readonly #queue = new Set<string>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #failures = new Map<string, number>();
  #unsubscribe: (() => void)[] = [];
  #resync: NodeJS.Timeout | undefined;
  #running = false;
  #stopped = true;
  #idle: (() => void)[] = [];

  constructor(options: ReconcilerOptions) {
    this.name = options.name;
    this.#options = options;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    for (const kind of this.#options.kinds) {
      this.#unsubscribe.push(this.#options.store.watch({ kind }, (event) => this.#options.keysFor(event).forEach((key) => this.enqueue(key))));
    }
    this.#resyncAll();
    const resyncMs = this.#options.resyncMs ?? 30_000;
    this.#resync = setInterval(() => this.#resyncAll(), resyncMs);
    this.#resync.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe.forEach((unsubscribe) => unsubscribe());
    this.#unsubscribe = [];
    if (this.#resync) clearInterval(this.#resync);
    this.#timers.forEach((timer) => clearTimeout(timer));
    this.#timers.clear();
    this.#queue.clear();
  }

  enqueue(key: string): void {
    if (this.#stopped) return;
    if (this.#queue.size >= (this.#options.queueMax ?? 100_000)) {
      console.error(`moor: ${this.name}: queue full, dropping "${key}" until the next resync`);
      return;
    }
    this.#queue.add(key);
    if (!this.#running) queueMicrotask(() => void this.#drain());
  }

  /** Resolves when the queue is empty (for tests and orderly hand-offs). */
  idle(): Promise<void> {
    if (!this.#running && this.#queue.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #resyncAll(): void {
    for (const key of this.#options.allKeys()) this.enqueue(key);
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#queue.size > 0 && !this.#stopped) {
        const key = this.#queue.values().next().value as string;
        this.#queue.delete(key);
        await this.#reconcileOne(key);
      }
    } finally {
      this.#running = false;
      const waiting = this.#idle;
      this.#idle = [];
      waiting.forEach((resolve) => resolve());
    }
  }

  async #reconcileOne(key: string): Promise<void> {
    try {
      const result = await this.#options.reconcile(key);
      this.#failures.delete(key);
      if (result?.requeueAfterMs !== undefined) this.#later(key, result.requeueAfterMs);
    } catch (error) {
      const failures = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, failures);
      const delay = Math.min(retryBaseMs * 2 ** (failures - 1), retryMaxMs);
      if (failures === 1 || failures % 10 === 0) {
        console.error(`moor: ${this.name}: reconciling "${key}" failed (attempt ${failures}, retry in ${delay} ms):`, error instanceof Error ? error.message : error);
      }
      this.#later(key, delay);
    }
  }

  #later(key: string, delayMs: number): void {
    if (this.#stopped) return;
    clearTimeout(this.#timers.get(key));
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.enqueue(key);
    }, delayMs);
    timer.unref();
    this.#timers.set(key, timer);
  }
}

/** "namespace/name" (or "name" when cluster-scoped), the usual key of a reconciler. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { namespace: "", name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
