// The embedded store on SQLite (better-sqlite3, WAL). One table of objects, one bounded table of
// changes for watch history, one row of metadata for the global revision.

import Database from "better-sqlite3";
import type { ListOptions, ObjectKey, Store, StoredObject } from "./mod.js";
import { type ChangeRow, type EngineOptions, type StoreBackend, StoreEngine } from "./_engine.js";

const schema = `
CREATE TABLE IF NOT EXISTS objects (
  kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (kind, namespace, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changes (
  revision INTEGER PRIMARY KEY, kind TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('revision', 0);
`;

class SqliteBackend implements StoreBackend {
  readonly #db: Database.Database;
  readonly #statements;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("synchronous = NORMAL");
    this.#db.pragma("busy_timeout = 5000");
    this.#db.exec(schema);
    const db = this.#db;
    this.#statements = {
      readRevision: db.prepare("SELECT value FROM meta WHERE key = 'revision'").pluck(),
      writeRevision: db.prepare("UPDATE meta SET value = ? WHERE key = 'revision'"),
      read: db.prepare("SELECT data FROM objects WHERE kind = ? AND namespace = ? AND name = ?").pluck(),
      write: db.prepare("INSERT OR REPLACE INTO objects (kind, namespace, name, data) VALUES (?, ?, ?, ?)"),
      remove: db.prepare("DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ?"),
      appendChange: db.prepare("INSERT INTO changes (revision, kind, type, data) VALUES (?, ?, ?, ?)"),
      changesAfter: db.prepare("SELECT revision, type, data FROM changes WHERE revision > ? ORDER BY revision"),
      changesAfterOfKind: db.prepare("SELECT revision, type, data FROM changes WHERE revision > ? AND kind = ? ORDER BY revision"),
      oldestChange: db.prepare("SELECT MIN(revision) FROM changes").pluck(),
      prune: db.prepare("DELETE FROM changes WHERE revision < ?"),
    };
  }

  readRevision(): number {
    return this.#statements.readRevision.get() as number;
  }
  writeRevision(revision: number): void {
    this.#statements.writeRevision.run(revision);
  }
  read(key: ObjectKey): StoredObject | undefined {
    const data = this.#statements.read.get(key.kind, key.namespace ?? "", key.name) as string | undefined;
    return data === undefined ? undefined : JSON.parse(data);
  }
  list(kind: string, options: ListOptions): StoredObject[] {
    const where = ["kind = ?"];
    const parameters: unknown[] = [kind];
    if (options.namespace) {
      where.push("namespace = ?");
      parameters.push(options.namespace);
    }
    if (options.afterName !== undefined) {
      where.push("(namespace > ? OR (namespace = ? AND name > ?))");
      parameters.push(options.afterNamespace ?? "", options.afterNamespace ?? "", options.afterName);
    }
    const limit = options.limit ? ` LIMIT ${Math.floor(options.limit)}` : "";
    const sql = `SELECT data FROM objects WHERE ${where.join(" AND ")} ORDER BY namespace, name${limit}`;
    const rows = this.#db.prepare(sql).pluck().all(...parameters) as string[];
    return rows.map((data) => JSON.parse(data));
  }
  write(object: StoredObject): void {
    this.#statements.write.run(object.kind, object.metadata.namespace ?? "", object.metadata.name, JSON.stringify(object));
  }
  remove(key: ObjectKey): void {
    this.#statements.remove.run(key.kind, key.namespace ?? "", key.name);
  }
  appendChange(change: ChangeRow): void {
    this.#statements.appendChange.run(change.revision, change.object.kind, change.type, JSON.stringify(change.object));
  }
  changesAfter(revision: number, kind?: string): ChangeRow[] {
    const rows = (kind ? this.#statements.changesAfterOfKind.all(revision, kind) : this.#statements.changesAfter.all(revision)) as {
      revision: number;
      type: ChangeRow["type"];
      data: string;
    }[];
    return rows.map((row) => ({ revision: row.revision, type: row.type, object: JSON.parse(row.data) }));
  }
  oldestChange(): number {
    const oldest = this.#statements.oldestChange.get() as number | null;
    return oldest ?? this.readRevision() + 1;
  }
  pruneChangesBefore(revision: number): void {
    this.#statements.prune.run(revision);
  }
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }
  close(): void {
    this.#db.close();
  }
}

/** Opens (creating if needed) the store in the SQLite database at `path`. */
export function openSqliteStore(path: string, options: EngineOptions = {}): Store {
  return new StoreEngine(new SqliteBackend(path), options);
}
