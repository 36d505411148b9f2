import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock, systemClock, timestamp } from "./mod.js";

describe("FakeClock", () => {
  it("stands still until advance(), then runs the timers that fall due in order of due time, each at its own time", () => {
    const clock = new FakeClock(new Date("2026-01-01T00:00:00Z"));
    const ran: string[] = [];
    clock.after(300, () => ran.push(`c@${clock.now().toISOString()}`));
    clock.after(100, () => ran.push(`a@${clock.now().toISOString()}`));
    clock.after(100, () => ran.push(`b@${clock.now().toISOString()}`));
    assert.equal(clock.now().toISOString(), "2026-01-01T00:00:00.000Z");
    clock.advance(299);
    assert.deepEqual(ran, ["a@2026-01-01T00:00:00.100Z", "b@2026-01-01T00:00:00.100Z"]);
    assert.equal(clock.now().toISOString(), "2026-01-01T00:00:00.299Z");
    assert.equal(clock.untilNextMs(), 1);
    clock.advance(1);
    assert.deepEqual(ran.at(-1), "c@2026-01-01T00:00:00.300Z");
    assert.equal(clock.pendingTimers(), 0);
  });

  it("runs a timer set by a timer within the same advance() when it falls due, and never a cancelled one", () => {
    const clock = new FakeClock();
    const ran: number[] = [];
    const tick = () => {
      ran.push(clock.now().getTime());
      clock.after(10, tick);
    };
    clock.after(10, tick);
    const cancelled = clock.after(5, () => ran.push(-1));
    cancelled.cancel();
    const start = clock.now().getTime();
    clock.advance(35);
    assert.deepEqual(ran.map((at) => at - start), [10, 20, 30]);
    assert.equal(clock.pendingTimers(), 1);
  });
});

describe("systemClock", () => {
  it("calls back after the delay and can be cancelled", async () => {
    let cancelledRan = false;
    systemClock.after(0, () => (cancelledRan = true)).cancel();
    await new Promise<void>((resolve) => systemClock.after(1, resolve));
    assert.equal(cancelledRan, false);
  });
});

it("timestamp() writes whole seconds, as Kubernetes does", () => {
  assert.equal(timestamp(new Date("2026-01-01T00:00:00.789Z")), "2026-01-01T00:00:00Z");
});
