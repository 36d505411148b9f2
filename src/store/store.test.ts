import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { after, it } from "node:test";
import { createMemoryStore, openSqliteStore } from "./mod.js";
import { storeContract } from "./store.contract.js";

const dir = mkdtempSync(join(tmpdir(), "moor-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

storeContract("memory", (options) => createMemoryStore(options));
storeContract("sqlite", (options) => openSqliteStore(join(dir, `store-${counter++}.db`), options));

it("openSqliteStore() keeps objects and the revision across a reopen", () => {
  const path = join(dir, "reopen.db");
  const first = openSqliteStore(path);
  first.create({ apiVersion: "test/v1", kind: "Thing", metadata: { name: "kept" } });
  const revision = first.revision();
  first.close();
  const second = openSqliteStore(path);
  assert.equal(second.get({ kind: "Thing", name: "kept" })?.metadata.name, "kept");
  assert.equal(second.revision(), revision);
  second.close();
});
