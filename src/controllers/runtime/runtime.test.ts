import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import { conflict } from "../../errors/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import {
  type Controller,
  ControllerRuntime,
  objectKey,
  queueLengthMax,
  resyncIntervalMaxMs,
  retriesPerSecondMax,
  retryBurstMax,
  retryDelayBaseMs,
  retryDelayMaxMs,
  splitKey,
} from "./mod.js";

function controller(overrides: Partial<Controller> & Pick<Controller, "reconcile">): Controller {
  return { name: "test", kinds: ["ConfigMap"], keysFor: (event) => [objectKey({ kind: "ConfigMap", namespace: event.object.metadata.namespace, name: event.object.metadata.name })], allKeys: () => [], ...overrides };
}

function runtimeOf(store: Store, clock: FakeClock, ...controllers: Controller[]): ControllerRuntime {
  return new ControllerRuntime({ name: "test-runtime", store, clock, controllers });
}

function configMap(name: string) {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data: {} };
}

/** Runs every timer of the fake clock, one due time at a time, draining the queues in between. */
async function runTimers(runtime: ControllerRuntime, clock: FakeClock, untilMs: number): Promise<void> {
  let elapsedMs = 0;
  await runtime.settled();
  for (let next = clock.untilNextMs(); next !== undefined && elapsedMs + next <= untilMs; next = clock.untilNextMs()) {
    clock.advance(next);
    elapsedMs += next;
    await runtime.settled();
  }
}

describe("objectKey()", () => {
  it("makes Kind/namespace/name, and splitKey() gives the parts back, cluster-scoped with namespace \"\"", () => {
    assert.equal(objectKey({ kind: "Pod", namespace: "shop", name: "web-0" }), "Pod/shop/web-0");
    assert.equal(objectKey({ kind: "Node", name: "ip-10-0-0-1" }), "Node//ip-10-0-0-1");
    assert.deepEqual(splitKey("Pod/shop/web-0"), { kind: "Pod", namespace: "shop", name: "web-0" });
    assert.deepEqual(splitKey("ClusterRole//system:controller:x"), { kind: "ClusterRole", namespace: "", name: "system:controller:x" });
    assert.throws(() => splitKey("shop/web-0"), /Cannot split controller key "shop\/web-0"/);
  });
});

describe("ControllerRuntime", () => {
  it("reconciles the keys of a watched change, and ignores kinds it does not watch", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    const seen: string[] = [];
    const runtime = runtimeOf(store, clock, controller({ reconcile: (key) => void seen.push(key) }));
    await runtime.start();
    store.create(configMap("a"));
    store.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "default" } });
    await runtime.settled();
    assert.deepEqual(seen, ["ConfigMap/default/a"]);
    await runtime.stop();
  });

  it("reconciles a key once however often it was enqueued while it waited", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    const seen: string[] = [];
    const runtime = runtimeOf(store, clock, controller({ reconcile: (key) => void seen.push(key) }));
    await runtime.start();
    const made = store.create(configMap("a"));
    for (let index = 0; index < 5; index++) store.update({ ...made, data: { index: String(index) } });
    runtime.enqueue("test", "ConfigMap/default/a");
    await runtime.settled();
    assert.deepEqual(seen, ["ConfigMap/default/a"]);
    await runtime.stop();
  });

  it("holds at most queueLengthMax keys and drops the rest until a resync brings them back", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    const seen = new Set<string>();
    let listed: string[] = [];
    const runtime = runtimeOf(store, clock, controller({ allKeys: () => listed, reconcile: (key) => void seen.add(key) }));
    const errors = captureErrors();
    try {
      await runtime.start();
      for (let index = 0; index < queueLengthMax + 5; index++) runtime.enqueue("test", `ConfigMap/default/k${index}`);
      await runtime.settled();
      assert.equal(seen.size, queueLengthMax);
      assert.equal(seen.has(`ConfigMap/default/k${queueLengthMax}`), false);
      assert.equal(errors.length, 1, "the full queue is reported once, not once per key");
      listed = [`ConfigMap/default/k${queueLengthMax}`];
      clock.advance(resyncIntervalMaxMs);
      await runtime.settled();
      assert.equal(seen.has(`ConfigMap/default/k${queueLengthMax}`), true);
    } finally {
      errors.restore();
      await runtime.stop();
    }
  });

  it("retries a failing key with a back-off that doubles from retryDelayBaseMs up to retryDelayMaxMs, and starts afresh after a success", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    const attemptsMs: number[] = [];
    let failing = true;
    const runtime = runtimeOf(store, clock, controller({
      reconcile: () => {
        attemptsMs.push(clock.now().getTime());
        if (failing) throw conflict("Cannot update ConfigMap \"a\": it changed");
      },
    }));
    await runtime.start();
    runtime.enqueue("test", "ConfigMap/default/a");
    await runTimers(runtime, clock, 20_000);
    const delays = attemptsMs.slice(1).map((at, index) => at - attemptsMs[index]!);
    const expected = [1, 2, 4, 8, 16, 32, 64, 128, 256].map((factor) => Math.min(retryDelayBaseMs * factor, retryDelayMaxMs));
    assert.deepEqual(delays.slice(0, expected.length), expected);
    assert.ok(delays.slice(expected.length).every((delay) => delay === retryDelayMaxMs), `capped at ${retryDelayMaxMs} ms: ${delays.join(", ")}`);
    failing = false;
    clock.advance(clock.untilNextMs()!);
    await runtime.settled();
    failing = true;
    attemptsMs.length = 0;
    runtime.enqueue("test", "ConfigMap/default/a");
    await runtime.settled();
    clock.advance(retryDelayBaseMs);
    await runtime.settled();
    assert.equal(attemptsMs.length, 2, "after a success the first retry waits retryDelayBaseMs again");
    await runtime.stop();
  });

  it("runs at most retryBurstMax retries at once, then retriesPerSecondMax", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    const failed = new Set<string>();
    const retriedAtMs: number[] = [];
    const runtime = runtimeOf(store, clock, controller({
      reconcile: (key) => {
        if (failed.has(key)) return void retriedAtMs.push(clock.now().getTime());
        failed.add(key);
        throw conflict(`Cannot update "${key}": it changed`);
      },
    }));
    await runtime.start();
    const startMs = clock.now().getTime();
    const keys = retryBurstMax + 10;
    for (let index = 0; index < keys; index++) runtime.enqueue("test", `ConfigMap/default/k${index}`);
    await runTimers(runtime, clock, 10_000);
    assert.equal(retriedAtMs.length, keys);
    assert.equal(retriedAtMs.filter((at) => at === startMs + retryDelayBaseMs).length, retryBurstMax);
    const spacing = 1000 / retriesPerSecondMax;
    const later = retriedAtMs.slice(retryBurstMax).map((at) => at - startMs);
    assert.deepEqual(later, Array.from({ length: 10 }, (_, index) => retryDelayBaseMs + spacing * (index + 1)));
    await runtime.stop();
  });

  it("looks at a key again after the delay its reconcile asked for, not before", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    let calls = 0;
    const runtime = runtimeOf(store, clock, controller({ reconcile: () => (++calls === 1 ? 1000 : undefined) }));
    await runtime.start();
    runtime.enqueue("test", "ConfigMap/default/a");
    await runtime.settled();
    clock.advance(999);
    await runtime.settled();
    assert.equal(calls, 1);
    clock.advance(1);
    await runtime.settled();
    assert.equal(calls, 2);
    await runtime.stop();
  });

  it("resyncs every key on start and at the controller's interval, never less often than resyncIntervalMaxMs", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    const fast: string[] = [];
    const slow: string[] = [];
    const runtime = runtimeOf(
      store,
      clock,
      controller({ name: "fast", resyncIntervalMs: 10_000, allKeys: () => ["ConfigMap/default/f"], reconcile: (key) => void fast.push(key) }),
      controller({ name: "slow", resyncIntervalMs: 10 * resyncIntervalMaxMs, allKeys: () => ["ConfigMap/default/s"], reconcile: (key) => void slow.push(key) }),
    );
    await runtime.start();
    await runtime.settled();
    assert.deepEqual([fast.length, slow.length], [1, 1]);
    clock.advance(10_000);
    await runtime.settled();
    assert.deepEqual([fast.length, slow.length], [2, 1]);
    clock.advance(resyncIntervalMaxMs - 10_000);
    await runtime.settled();
    assert.equal(slow.length, 2);
    await runtime.stop();
  });

  it("runs one async reconcile of a controller at a time", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    let running = 0;
    let most = 0;
    const runtime = runtimeOf(store, clock, controller({
      reconcile: async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
      },
    }));
    await runtime.start();
    for (const name of ["a", "b", "c"]) store.create(configMap(name));
    await runtime.settled();
    assert.equal(most, 1);
    await runtime.stop();
  });

  it("stops in order: waits for the reconcile in flight, then nothing is queued and no timer is left", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    const seen: string[] = [];
    let release: () => void = () => {};
    const runtime = runtimeOf(store, clock, controller({
      allKeys: () => ["ConfigMap/default/first"],
      reconcile: async (key) => {
        if (key === "ConfigMap/default/first") await new Promise<void>((resolve) => (release = resolve));
        seen.push(key);
        return 1000;
      },
    }));
    await runtime.start();
    await new Promise((resolve) => setImmediate(resolve));
    store.create(configMap("second"));
    let stopped = false;
    const stopping = runtime.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false, "stop waits for the reconcile in flight");
    release();
    await stopping;
    assert.deepEqual(seen, ["ConfigMap/default/first"], "what waited is dropped");
    assert.equal(clock.pendingTimers(), 0);
    store.create(configMap("third"));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, ["ConfigMap/default/first"]);
  });
});

describe("ControllerRuntime restarts", () => {
  it("starts again after a stop, with a full resync", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    const seen: string[] = [];
    const runtime = runtimeOf(store, clock, controller({ allKeys: () => ["ConfigMap/default/listed"], reconcile: (key) => void seen.push(key) }));
    await runtime.start();
    await runtime.settled();
    await runtime.stop();
    await runtime.start();
    store.create(configMap("a"));
    await runtime.settled();
    assert.deepEqual(seen, ["ConfigMap/default/listed", "ConfigMap/default/listed", "ConfigMap/default/a"]);
    await runtime.stop();
  });
});

function captureErrors(): string[] & { restore(): void } {
  const original = console.error;
  const lines = [] as unknown as string[] & { restore(): void };
  console.error = (...parts: unknown[]) => void lines.push(parts.map(String).join(" "));
  lines.restore = () => (console.error = original);
  return lines;
}
