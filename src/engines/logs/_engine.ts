// The log-event engine on SQLite: streams with their counters, events ordered by (timestamp,
// sequence), reads in either direction from a cursor, and the shippers' progress marks.

import Database from "better-sqlite3";

export interface StoredStream {
  group: string;
  name: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
  /** How many batches were appended: the stream's upload sequence. */
  uploads: number;
}

export interface LogEvent {
  stream: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
  sequence: number;
}

/** A position between events: (timestamp, sequence) of the event it follows or precedes. */
export interface EventCursor {
  timestamp: number;
  sequence: number;
}

export interface EventQuery {
  group: string;
  /** Stream names; absent: every stream of the group. */
  streams?: readonly string[];
  streamPrefix?: string;
  /** Inclusive lower and exclusive upper bound of event timestamps (ms). */
  startTime?: number;
  endTime?: number;
  /** Only events after (forward) or before (newest first) this cursor. */
  after?: EventCursor;
  before?: EventCursor;
  limit: number;
  newestFirst?: boolean;
}

export interface StreamQuery {
  prefix?: string;
  orderBy: "LogStreamName" | "LastEventTime";
  descending: boolean;
  offset: number;
  limit: number;
}

const schema = `
CREATE TABLE IF NOT EXISTS streams (
  id INTEGER PRIMARY KEY, grp TEXT NOT NULL, name TEXT NOT NULL, created INTEGER NOT NULL,
  first_ts INTEGER, last_ts INTEGER, last_ingest INTEGER, bytes INTEGER NOT NULL DEFAULT 0,
  uploads INTEGER NOT NULL DEFAULT 0, UNIQUE (grp, name)
);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, stream INTEGER NOT NULL, ts INTEGER NOT NULL,
  ingest INTEGER NOT NULL, message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (stream, ts, seq);
CREATE TABLE IF NOT EXISTS progress (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

interface StreamRow {
  id: number;
  grp: string;
  name: string;
  created: number;
  first_ts: number | null;
  last_ts: number | null;
  last_ingest: number | null;
  bytes: number;
  uploads: number;
}

function streamOf(row: StreamRow): StoredStream {
  const stream: StoredStream = { group: row.grp, name: row.name, creationTime: row.created, storedBytes: row.bytes, uploads: row.uploads };
  if (row.first_ts !== null) stream.firstEventTimestamp = row.first_ts;
  if (row.last_ts !== null) stream.lastEventTimestamp = row.last_ts;
  if (row.last_ingest !== null) stream.lastIngestionTime = row.last_ingest;
  return stream;
}

export class LogEngine {
  readonly #db: Database.Database;
  readonly #statements;

  constructor(path: string) {
    this.#db = new Database(path);
    if (path !== ":memory:") this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("synchronous = NORMAL");
    this.#db.exec(schema);
    const db = this.#db;
    this.#statements = {
      stream: db.prepare("SELECT * FROM streams WHERE grp = ? AND name = ?"),
      createStream: db.prepare("INSERT OR IGNORE INTO streams (grp, name, created) VALUES (?, ?, ?)"),
      deleteStreamEvents: db.prepare("DELETE FROM events WHERE stream = ?"),
      deleteStream: db.prepare("DELETE FROM streams WHERE id = ?"),
      groupStreams: db.prepare("SELECT id FROM streams WHERE grp = ?").pluck(),
      insertEvent: db.prepare("INSERT INTO events (stream, ts, ingest, message) VALUES (?, ?, ?, ?)"),
      touchStream: db.prepare(
        "UPDATE streams SET first_ts = MIN(COALESCE(first_ts, ?), ?), last_ts = MAX(COALESCE(last_ts, ?), ?), last_ingest = ?, bytes = bytes + ?, uploads = uploads + 1 WHERE id = ?",
      ),
      groupBytes: db.prepare("SELECT COALESCE(SUM(bytes), 0) FROM streams WHERE grp = ?").pluck(),
      readProgress: db.prepare("SELECT value FROM progress WHERE key = ?").pluck(),
      writeProgress: db.prepare("INSERT OR REPLACE INTO progress (key, value) VALUES (?, ?)"),
      expire: db.prepare("DELETE FROM events WHERE stream = ? AND ts < ?"),
    };
  }

  /** Creates the stream; false when it exists already. */
  createStream(group: string, name: string, creationTime: number): boolean {
    return this.#statements.createStream.run(group, name, creationTime).changes === 1;
  }

  stream(group: string, name: string): StoredStream | undefined {
    const row = this.#statements.stream.get(group, name) as StreamRow | undefined;
    return row ? streamOf(row) : undefined;
  }

  streams(group: string, query: StreamQuery): StoredStream[] {
    const order = query.orderBy === "LastEventTime" ? "COALESCE(last_ts, 0)" : "name";
    const direction = query.descending ? "DESC" : "ASC";
    const rows = this.#db
      .prepare(`SELECT * FROM streams WHERE grp = ? AND substr(name, 1, ?) = ? ORDER BY ${order} ${direction}, name ${direction} LIMIT ? OFFSET ?`)
      .all(group, (query.prefix ?? "").length, query.prefix ?? "", query.limit, query.offset) as StreamRow[];
    return rows.map(streamOf);
  }

  /** Removes the stream and its events; false when it did not exist. */
  deleteStream(group: string, name: string): boolean {
    const row = this.#statements.stream.get(group, name) as StreamRow | undefined;
    if (!row) return false;
    this.#db.transaction(() => {
      this.#statements.deleteStreamEvents.run(row.id);
      this.#statements.deleteStream.run(row.id);
    })();
    return true;
  }

  /** Removes every stream of the group and their events. */
  deleteGroup(group: string): void {
    this.#db.transaction(() => {
      for (const id of this.#statements.groupStreams.all(group) as number[]) {
        this.#statements.deleteStreamEvents.run(id);
        this.#statements.deleteStream.run(id);
      }
    })();
  }

  /** Appends a batch to an existing stream in one transaction; returns the stream as it is after. */
  append(group: string, name: string, events: readonly { timestamp: number; message: string }[], ingestionTime: number): StoredStream | undefined {
    const row = this.#statements.stream.get(group, name) as StreamRow | undefined;
    if (!row) return undefined;
    this.#db.transaction(() => {
      let bytes = 0;
      let first = Infinity;
      let last = -Infinity;
      for (const event of events) {
        this.#statements.insertEvent.run(row.id, event.timestamp, ingestionTime, event.message);
        bytes += Buffer.byteLength(event.message) + 26;
        first = Math.min(first, event.timestamp);
        last = Math.max(last, event.timestamp);
      }
      if (events.length === 0) first = last = row.last_ts ?? ingestionTime;
      this.#statements.touchStream.run(first, first, last, last, ingestionTime, bytes, row.id);
    })();
    return this.stream(group, name);
  }

  /** Events of the query's streams in (timestamp, sequence) order, or its reverse. */
  events(query: EventQuery): LogEvent[] {
    const conditions = ["s.grp = @group"];
    const parameters: Record<string, unknown> = { group: query.group, limit: query.limit };
    if (query.streams) {
      conditions.push("s.name IN (SELECT value FROM json_each(@streams))");
      parameters.streams = JSON.stringify(query.streams);
    }
    if (query.streamPrefix) {
      conditions.push("substr(s.name, 1, @prefixLength) = @prefix");
      Object.assign(parameters, { prefix: query.streamPrefix, prefixLength: query.streamPrefix.length });
    }
    if (query.startTime !== undefined) conditions.push("e.ts >= @startTime"), (parameters.startTime = query.startTime);
    if (query.endTime !== undefined) conditions.push("e.ts < @endTime"), (parameters.endTime = query.endTime);
    if (query.after) {
      conditions.push("(e.ts > @afterTs OR (e.ts = @afterTs AND e.seq > @afterSeq))");
      Object.assign(parameters, { afterTs: query.after.timestamp, afterSeq: query.after.sequence });
    }
    if (query.before) {
      conditions.push("(e.ts < @beforeTs OR (e.ts = @beforeTs AND e.seq < @beforeSeq))");
      Object.assign(parameters, { beforeTs: query.before.timestamp, beforeSeq: query.before.sequence });
    }
    const direction = query.newestFirst ? "DESC" : "ASC";
    const sql = `SELECT s.name AS stream, e.ts AS timestamp, e.ingest AS ingestionTime, e.message AS message, e.seq AS sequence
      FROM events e JOIN streams s ON s.id = e.stream WHERE ${conditions.join(" AND ")}
      ORDER BY e.ts ${direction}, e.seq ${direction} LIMIT @limit`;
    return this.#db.prepare(sql).all(parameters) as LogEvent[];
  }

  storedBytes(group: string): number {
    return this.#statements.groupBytes.get(group) as number;
  }

  /** Deletes the group's events older than `beforeTimestamp` (retention); returns how many. */
  expire(group: string, beforeTimestamp: number): number {
    let removed = 0;
    for (const id of this.#statements.groupStreams.all(group) as number[]) removed += this.#statements.expire.run(id, beforeTimestamp).changes;
    return removed;
  }

  /** A shipper's mark (how far it has shipped a source), 0 when none. */
  progress(key: string): number {
    return (this.#statements.readProgress.get(key) as number | undefined) ?? 0;
  }

  recordProgress(key: string, value: number): void {
    this.#statements.writeProgress.run(key, value);
  }

  close(): void {
    this.#db.close();
  }
}

export function openLogEngine(path: string): LogEngine {
  return new LogEngine(path);
}
