// The log-event engine: CloudWatch Logs' streams and events, kept apart from the object store
// so that a busy container's output never passes through the store's revisions and watch
// history. One SQLite database (better-sqlite3, WAL) under the data directory: a row per
// stream (its counters) and a row per event, indexed by stream and (timestamp, sequence).
//
// Words: a stream is named by its group and its name; an event's `sequence` is its insertion
// number, unique in the database, so (timestamp, sequence) orders a stream's events totally and
// is what read cursors hold. The engine knows nothing of AWS's tokens, limits or errors: the
// logs service (src/services/logs) turns its answers into the API's.
//
// Lifecycle: `openLogEngine(path)` (":memory:" for tests), `close()` at stop.

export { LogEngine, openLogEngine } from "./_engine.js";
export type { EventCursor, EventQuery, LogEvent, StoredStream, StreamQuery } from "./_engine.js";
