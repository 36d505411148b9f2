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

interface WatchPlan {
  selectors: ReturnType<typeof parseSelectors>;
  fromRevision: number;
  timeoutSeconds: number;
  table: boolean;
  include: ReturnType<typeof includeObjectOf>;
  bookmarks: boolean;
  scope: string | undefined;
}

function planWatch(request: ApiRequest): WatchPlan {
  const { req, query } = request;
  const { resource, namespace, name } = request.route;
  const selectors = parseSelectors(resource, query);
  if (name) selectors.fields.push({ field: "metadata.name", operator: "=", value: name });
  const rvText = query.get("resourceVersion") ?? "";
  if (rvText !== "" && !/^\d+$/.test(rvText)) throw badRequest(`invalid resource version: "${rvText}"`);
  return {
    selectors,
    fromRevision: Number(rvText || "0"),
    timeoutSeconds: parseSeconds(query.get("timeoutSeconds"), "timeoutSeconds") ?? defaultTimeoutSeconds,
    table: wantsTable(req),
    include: includeObjectOf(query),
    bookmarks: queryFlag(query, "allowWatchBookmarks"),
    scope: resource.namespaced ? namespace : undefined,
  };
}

export function serveWatch(api: ApiContext, request: ApiRequest): void {
  const plan = planWatch(request);
  if (openWatches >= watchesMax) {
    throw new HttpError(429, "TooManyRequests", `Cannot open another watch: ${watchesMax} are open`, { retryAfterSeconds: 1 }, { "Retry-After": "1" });
  }
  openWatches++;
  new WatchStream(api, request, plan).begin();
}

/** One open watch: its response stream, its store subscription and its timers. */
class WatchStream {
  readonly #api: ApiContext;
  readonly #request: ApiRequest;
  readonly #plan: WatchPlan;
  /** Objects this watch has shown as matching: one that stops matching is sent as DELETED, as
   * upstream does, so a client's cache of a selected set stays right. */
  readonly #shown = new Set<string>();
  readonly #filtered: boolean;
  readonly #timers: NodeJS.Timeout[] = [];
  #columnsSent = false;
  #lastRevision: number;
  #closed = false;
  #unsubscribe: () => void = () => {};

  constructor(api: ApiContext, request: ApiRequest, plan: WatchPlan) {
    this.#api = api;
    this.#request = request;
    this.#plan = plan;
    this.#filtered = plan.selectors.labels.length > 0 || plan.selectors.fields.length > 0;
    this.#lastRevision = plan.fromRevision;
  }

  begin(): void {
    const { res } = this.#request;
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
    res.flushHeaders();
    res.on("close", () => this.#finish());
    this.#timers.push(setTimeout(() => this.#finish(), Math.max(1, this.#plan.timeoutSeconds) * 1000));
    if (this.#plan.bookmarks) this.#timers.push(setTimeout(() => this.#bookmark(), bookmarkIntervalMs));
    try {
      this.#subscribe();
    } catch (error) {
      if (!isMoorError(error) || error.category !== "Expired") {
        this.#finish();
        throw error;
      }
      this.#send("ERROR", status(410, "Expired", `too old resource version: ${this.#plan.fromRevision} (${this.#api.store.oldestRevision()})`));
      this.#finish();
    }
    if (this.#closed) this.#unsubscribe();
  }

  #subscribe(): void {
    const { store } = this.#api;
    const { resource } = this.#request.route;
    const { fromRevision, scope, selectors } = this.#plan;
    if (fromRevision !== 0) {
      this.#unsubscribe = store.watch({ kind: resource.kind, namespace: scope, fromRevision }, (event) => this.#onEvent(event));
      return;
    }
    const listed = store.list(resource.kind, { namespace: scope });
    for (const item of listed.items) {
      if (!selects(selectors, item)) continue;
      if (this.#filtered) this.#shown.add(shownKey(item));
      this.#send("ADDED", item);
    }
    this.#lastRevision = listed.revision;
    this.#unsubscribe = store.watch({ kind: resource.kind, namespace: scope, fromRevision: listed.revision }, (event) => this.#onEvent(event));
  }

  #onEvent(event: WatchEvent): void {
    this.#lastRevision = event.revision;
    const key = shownKey(event.object);
    if (selects(this.#plan.selectors, event.object)) {
      if (this.#filtered) {
        if (event.type === "DELETED") this.#shown.delete(key);
        else this.#shown.add(key);
      }
      this.#send(event.type, event.object);
    } else if (this.#shown.delete(key)) {
      this.#send("DELETED", event.object);
    }
  }

  #send(type: string, object: StoredObject | unknown): void {
    if (this.#closed) return;
    const { res } = this.#request;
    let payload = object;
    if (this.#plan.table && type !== "BOOKMARK" && type !== "ERROR") {
      payload = toTable(this.#request.route.resource.kind, [object as StoredObject], { now: this.#api.now(), include: this.#plan.include, withColumns: !this.#columnsSent });
      this.#columnsSent = true;
    }
    res.write(`${JSON.stringify({ type, object: payload })}\n`);
    if (res.writableLength > watchBufferMax) this.#finish();
  }

  #bookmark(): void {
    const { resource } = this.#request.route;
    const revision = String(Math.max(this.#lastRevision, this.#api.store.revision()));
    this.#send("BOOKMARK", { kind: resource.kind, apiVersion: apiVersionOf(resource), metadata: { resourceVersion: revision } });
    this.#timers.push(setTimeout(() => this.#bookmark(), bookmarkIntervalMs));
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    openWatches--;
    this.#unsubscribe();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#request.res.end();
  }
}

function shownKey(object: StoredObject): string {
  return `${object.metadata.namespace ?? ""}/${object.metadata.name}`;
}
