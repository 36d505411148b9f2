// The store's contract: one suite that every implementation must pass.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store, StoredObject, WatchEvent } from "./mod.js";

function thing(name: string, namespace = "", spec: unknown = { size: 1 }): StoredObject {
  return { apiVersion: "test/v1", kind: "Thing", metadata: { name, namespace }, spec };
}

type Open = (options?: { historyMax?: number }) => Store;

export function storeContract(name: string, open: Open): void {
  describe(`${name} store contract`, () => {
    writeCases(open);
    watchCases(open);
  });
}

function writeCases(open: Open): void {
  it("create() stamps uid, creation time and a revision that later writes increase", () => {
    const store = open();
    const first = store.create(thing("a"));
    const second = store.create(thing("b"));
    assert.match(first.metadata.uid ?? "", /^[0-9a-f-]{36}$/);
    assert.match(first.metadata.creationTimestamp ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Number(second.metadata.resourceVersion) > Number(first.metadata.resourceVersion));
    assert.equal(store.revision(), Number(second.metadata.resourceVersion));
    store.close();
  });

  it("create() refuses a second object with the same key", () => {
    const store = open();
    store.create(thing("a", "ns"));
    assert.throws(() => store.create(thing("a", "ns")), { category: "AlreadyExists" });
    store.create(thing("a", "other"));
    store.close();
  });

  it("update() with a stale revision is a conflict and changes nothing", () => {
    const store = open();
    const created = store.create(thing("a"));
    const updated = store.update({ ...created, spec: { size: 2 } }, { expectedRevision: created.metadata.resourceVersion });
    assert.throws(() => store.update({ ...created, spec: { size: 3 } }, { expectedRevision: created.metadata.resourceVersion }), { category: "Conflict" });
    assert.deepEqual(store.get({ kind: "Thing", name: "a" })?.spec, { size: 2 });
    assert.equal(updated.metadata.uid, created.metadata.uid);
    store.close();
  });

  it("update() and delete() of a missing object are NotFound", () => {
    const store = open();
    assert.throws(() => store.update(thing("ghost")), { category: "NotFound" });
    assert.throws(() => store.delete({ kind: "Thing", name: "ghost" }), { category: "NotFound" });
    store.close();
  });

  it("list() filters by kind and namespace and pages in name order", () => {
    const store = open();
    for (const name of ["c", "a", "b", "d"]) store.create(thing(name, "ns"));
    store.create(thing("z", "other"));
    store.create({ ...thing("a", "ns"), kind: "Other" });
    const all = store.list("Thing", { namespace: "ns" });
    assert.deepEqual(all.items.map((o) => o.metadata.name), ["a", "b", "c", "d"]);
    const page = store.list("Thing", { namespace: "ns", afterNamespace: "ns", afterName: "b", limit: 1 });
    assert.deepEqual(page.items.map((o) => o.metadata.name), ["c"]);
    assert.equal(store.list("Thing").items.length, 5);
    assert.equal(all.revision, store.revision());
    store.close();
  });

  it("transaction() applies all writes or none", () => {
    const store = open();
    const before = store.revision();
    assert.throws(() =>
      store.transaction(() => {
        store.create(thing("a"));
        store.create(thing("a"));
      }),
    );
    assert.equal(store.get({ kind: "Thing", name: "a" }), undefined);
    assert.equal(store.revision(), before);
    store.close();
  });

}

function watchCases(open: Open): void {
  it("watch() delivers changes in order and resumes from a revision", () => {
    const store = open();
    const seen: WatchEvent[] = [];
    const stop = store.watch({ kind: "Thing" }, (event) => seen.push(event));
    const a = store.create(thing("a"));
    store.update({ ...a, spec: { size: 5 } });
    store.create({ ...thing("x"), kind: "Other" });
    store.delete({ kind: "Thing", name: "a" });
    stop();
    store.create(thing("after-stop"));
    assert.deepEqual(seen.map((e) => e.type), ["ADDED", "MODIFIED", "DELETED"]);
    const resumed: WatchEvent[] = [];
    store.watch({ kind: "Thing", fromRevision: seen[0]!.revision }, (event) => resumed.push(event));
    assert.deepEqual(resumed.map((e) => `${e.type} ${e.object.metadata.name}`), ["MODIFIED a", "DELETED a", "ADDED after-stop"]);
    store.close();
  });

  it("watch() from a revision older than the bounded history is Expired", () => {
    const store = open({ historyMax: 10 });
    for (let i = 0; i < 600; i++) store.create(thing(`t${i}`));
    assert.throws(() => store.watch({ fromRevision: 1 }, () => {}), { category: "Expired" });
    const recent: WatchEvent[] = [];
    store.watch({ fromRevision: store.revision() - 2 }, (event) => recent.push(event));
    assert.equal(recent.length, 2);
    store.close();
  });

  it("watch() listeners see nothing from a transaction that failed", () => {
    const store = open();
    const seen: WatchEvent[] = [];
    store.watch({}, (event) => seen.push(event));
    assert.throws(() =>
      store.transaction(() => {
        store.create(thing("a"));
        throw new Error("boom");
      }),
    );
    assert.equal(seen.length, 0);
    store.close();
  });
}
