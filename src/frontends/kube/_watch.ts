// watch: one JSON event per line over a chunked 200 response. From `resourceVersion=N` it replays
// the store's history after N then streams live; without one (or "0") it first sends the current
// objects as ADDED. Past the bounded history it sends an ERROR event with a 410 Expired Status,
// which makes clients list again. Bookmarks carry the revision forward while nothing changes.

import { isMoorError } from "../../errors/mod.js";
import { apiVersionOf } from "../../domain/kube/mod.js";
import type { StoredObject, WatchEvent } from "../../store/mod.js";
import type { ApiContext, ApiRequest } from "./_context.js";
import { parseSeconds, queryFlag, wantsTable } from "./_http.js";
import { parseSelectors, selects } from "./_read.js";
import { badRequest, HttpError, status } from "./_status.js";
import { includeObjectOf, toTable } from "./_table.js";

/** A watcher whose client reads slower than this much buffered output is cut off (it re-watches). */
export const watchBufferMax = 16 * 1024 * 1024;
/** Open watches across all clients; past this, new ones are refused with 429 (clients retry). */
export const watchesMax = 2_000;
let openWatches = 0;
const bookmarkIntervalMs = 60_000;
const defaultTimeoutSeconds = 1800;

export function serveWatch(api: ApiContext, request: ApiRequest): void {
  const { req, res, query } = request;
  const { resource, namespace, name } = request.route;
  const selectors = parseSelectors(resource, query);
  if (name) selectors.fields.push({ field: "metadata.name", operator: "=", value: name });
  const rvText = query.get("resourceVersion") ?? "";
  if (rvText !== "" && !/^\d+$/.test(rvText)) throw badRequest(`invalid resource version: "${rvText}"`);
  const fromRevision = Number(rvText || "0");
  const timeoutSeconds = parseSeconds(query.get("timeoutSeconds"), "timeoutSeconds") ?? defaultTimeoutSeconds;
  const table = wantsTable(req);
  const include = includeObjectOf(query);
  const bookmarks = queryFlag(query, "allowWatchBookmarks");
  const scope = resource.namespaced ? namespace : undefined;
  if (openWatches >= watchesMax) {
    throw new HttpError(429, "TooManyRequests", `Cannot open another watch: ${watchesMax} are open`, { retryAfterSeconds: 1 }, { "Retry-After": "1" });
  }
  openWatches++;

  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  let columnsSent = false;
  let lastRevision = fromRevision;
  let closed = false;

  const send = (type: string, object: StoredObject | unknown) => {
    if (closed) return;
    let payload = object;
    if (table && type !== "BOOKMARK" && type !== "ERROR") {
      payload = toTable(resource.kind, [object as StoredObject], { now: api.now(), include, withColumns: !columnsSent });
      columnsSent = true;
    }
    res.write(`${JSON.stringify({ type, object: payload })}\n`);
    if (res.writableLength > watchBufferMax) finish();
  };
  // Objects this watch has shown as matching: one that stops matching is sent as DELETED, as
  // upstream does, so a client's cache of a selected set stays right.
  const shown = new Set<string>();
  const filtered = selectors.labels.length > 0 || selectors.fields.length > 0;
  const onEvent = (event: WatchEvent) => {
    lastRevision = event.revision;
    const key = `${event.object.metadata.namespace ?? ""}/${event.object.metadata.name}`;
    if (selects(selectors, event.object)) {
      if (filtered) {
        if (event.type === "DELETED") shown.delete(key);
        else shown.add(key);
      }
      send(event.type, event.object);
    } else if (shown.delete(key)) {
      send("DELETED", event.object);
    }
  };

  let unsubscribe: () => void = () => {};
  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    openWatches--;
    unsubscribe();
    for (const timer of timers) clearTimeout(timer);
    res.end();
  };
  res.on("close", finish);
  timers.push(setTimeout(finish, Math.max(1, timeoutSeconds) * 1000));
  if (bookmarks) {
    const bookmark = () => {
      send("BOOKMARK", { kind: resource.kind, apiVersion: apiVersionOf(resource), metadata: { resourceVersion: String(Math.max(lastRevision, api.store.revision())) } });
      timers.push(setTimeout(bookmark, bookmarkIntervalMs));
    };
    timers.push(setTimeout(bookmark, bookmarkIntervalMs));
  }

  try {
    if (fromRevision === 0) {
      const listed = api.store.list(resource.kind, { namespace: scope });
      for (const item of listed.items) {
        if (!selects(selectors, item)) continue;
        if (filtered) shown.add(`${item.metadata.namespace ?? ""}/${item.metadata.name}`);
        send("ADDED", item);
      }
      lastRevision = listed.revision;
      unsubscribe = api.store.watch({ kind: resource.kind, namespace: scope, fromRevision: listed.revision }, onEvent);
    } else {
      unsubscribe = api.store.watch({ kind: resource.kind, namespace: scope, fromRevision }, onEvent);
    }
  } catch (error) {
    if (!isMoorError(error) || error.category !== "Expired") {
      finish();
      throw error;
    }
    send("ERROR", status(410, "Expired", `too old resource version: ${fromRevision} (${api.store.oldestRevision()})`));
    finish();
  }
  if (closed) unsubscribe();
}
