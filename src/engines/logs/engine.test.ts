// The log engine on an in-memory SQLite database: streams and their counters, events in
// (timestamp, sequence) order from a cursor either way, group removal, shippers' marks.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openLogEngine } from "./mod.js";

describe("LogEngine", () => {
  it("createStream() is false for a stream that exists, and append() keeps the stream's times and bytes", () => {
    const engine = openLogEngine(":memory:");
    assert.equal(engine.createStream("g", "s", 5), true);
    assert.equal(engine.createStream("g", "s", 6), false);
    const stream = engine.append("g", "s", [{ timestamp: 20, message: "b" }, { timestamp: 10, message: "a" }], 30)!;
    assert.deepEqual(stream, { group: "g", name: "s", creationTime: 5, firstEventTimestamp: 10, lastEventTimestamp: 20, lastIngestionTime: 30, storedBytes: 54, uploads: 1 });
    assert.equal(engine.append("g", "missing", [{ timestamp: 1, message: "x" }], 30), undefined);
  });

  it("events() orders by timestamp then arrival, and reads after or before a cursor", () => {
    const engine = openLogEngine(":memory:");
    engine.createStream("g", "s", 0);
    engine.append("g", "s", [{ timestamp: 2, message: "late" }], 0);
    engine.append("g", "s", [{ timestamp: 1, message: "early" }, { timestamp: 2, message: "late too" }], 0);
    const all = engine.events({ group: "g", limit: 10 });
    assert.deepEqual(all.map((event) => event.message), ["early", "late", "late too"]);
    const cursor = { timestamp: all[1]!.timestamp, sequence: all[1]!.sequence };
    assert.deepEqual(engine.events({ group: "g", after: cursor, limit: 10 }).map((event) => event.message), ["late too"]);
    assert.deepEqual(engine.events({ group: "g", before: cursor, limit: 10, newestFirst: true }).map((event) => event.message), ["early"]);
  });

  it("deleteGroup() removes the group's streams and events, and no other group's", () => {
    const engine = openLogEngine(":memory:");
    for (const group of ["a", "b"]) {
      engine.createStream(group, "s", 0);
      engine.append(group, "s", [{ timestamp: 1, message: group }], 0);
    }
    engine.deleteGroup("a");
    assert.equal(engine.stream("a", "s"), undefined);
    assert.deepEqual(engine.events({ group: "b", limit: 10 }).map((event) => event.message), ["b"]);
    assert.equal(engine.storedBytes("a"), 0);
  });

  it("progress() is 0 until a mark is recorded", () => {
    const engine = openLogEngine(":memory:");
    assert.equal(engine.progress("pod/c/0"), 0);
    engine.recordProgress("pod/c/0", 12);
    assert.equal(engine.progress("pod/c/0"), 12);
  });
});
