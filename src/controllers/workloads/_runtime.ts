// The reconcile loop every workload controller runs on: one store watch feeds keyed queues
// (a key waits once however often it is enqueued), a resync enqueues every object of each
// controller's kind on start and periodically (level-triggered: nothing depends on having seen
// an event), and a failed reconcile is retried with back-off.

import { isMoorError } from "../../errors/mod.js";
import type { Store, WatchEvent } from "../../store/mod.js";

export interface Reconciler {
  readonly name: string;
  /** The kind whose objects it reconciles (resync lists these). */
  readonly kind: string;
  /** Keys (namespace/name of `kind`, or the reconciler's own words) an event concerns. */
  keysFor(event: WatchEvent): string[];
  /** Brings one key towards its desired state; returns a delay in ms to look again, if any. */
  reconcile(key: string): number | void;
  /** Keys for a full resync; default: every object of `kind`. */
  allKeys?(): string[];
}

export const resyncIntervalMs = 30_000;
const retryMaxMs = 5_000;
/** How many keys one turn of the event loop works on before yielding to I/O. */
const batchMax = 64;

export class ControllerRuntime {
  readonly #store: Store;
  readonly #reconcilers: Reconciler[];
  readonly #queues = new Map<Reconciler, Set<string>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #failures = new Map<string, number>();
  #unsubscribe: () => void = () => {};
  #scheduled = false;
  #stopped = true;

  constructor(store: Store, reconcilers: Reconciler[]) {
    this.#store = store;
    this.#reconcilers = reconcilers;
    for (const reconciler of reconcilers) this.#queues.set(reconciler, new Set());
  }

  start(): void {
    this.#stopped = false;
    this.#unsubscribe = this.#store.watch({}, (event) => this.#onEvent(event));
    this.#resync();
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  enqueue(reconciler: Reconciler, key: string): void {
    if (this.#stopped) return;
    this.#queues.get(reconciler)!.add(key);
    this.#schedule();
  }

  /** Resolves once no key waits to be reconciled (delayed retries aside): for tests. */
  async settled(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!this.#scheduled && [...this.#queues.values()].every((queue) => queue.size === 0)) return;
    }
  }

  enqueueAfter(reconciler: Reconciler, key: string, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.enqueue(reconciler, key);
    }, delayMs);
    this.#timers.add(timer);
  }

  #onEvent(event: WatchEvent): void {
    for (const reconciler of this.#reconcilers) {
      for (const key of reconciler.keysFor(event)) this.enqueue(reconciler, key);
    }
  }

  #resync(): void {
    if (this.#stopped) return;
    for (const reconciler of this.#reconcilers) {
      const keys = reconciler.allKeys
        ? reconciler.allKeys()
        : this.#store.list(reconciler.kind).items.map((item) => `${item.metadata.namespace ?? ""}/${item.metadata.name}`);
      for (const key of keys) this.enqueue(reconciler, key);
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#resync();
    }, resyncIntervalMs);
    this.#timers.add(timer);
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#drain();
    });
  }

  #drain(): void {
    let budget = batchMax;
    for (const [reconciler, queue] of this.#queues) {
      while (queue.size > 0 && budget > 0 && !this.#stopped) {
        const key = queue.values().next().value as string;
        queue.delete(key);
        budget--;
        this.#run(reconciler, key);
      }
    }
    if ([...this.#queues.values()].some((queue) => queue.size > 0)) this.#schedule();
  }

  #run(reconciler: Reconciler, key: string): void {
    const id = `${reconciler.name}:${key}`;
    try {
      const again = reconciler.reconcile(key);
      this.#failures.delete(id);
      if (typeof again === "number" && again >= 0) this.enqueueAfter(reconciler, key, again);
    } catch (error) {
      const failures = (this.#failures.get(id) ?? 0) + 1;
      this.#failures.set(id, failures);
      const conflict = isMoorError(error) && (error.category === "Conflict" || error.category === "AlreadyExists" || error.category === "NotFound");
      if (!conflict) console.error(`moor: ${reconciler.name} failed to reconcile "${key}":`, error);
      this.enqueueAfter(reconciler, key, Math.min(retryMaxMs, 20 * 2 ** Math.min(failures, 8)));
    }
  }
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf("/");
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function keyOfObject(object: { metadata: { namespace?: string; name: string } }): string {
  return `${object.metadata.namespace ?? ""}/${object.metadata.name}`;
}
