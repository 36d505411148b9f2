// pods/{name}/log: the container's log through the node agent's PodIO port, as text/plain,
// kept open with `follow=true` until the container's log ends or the client goes away.

import { resourceForKind } from "../../domain/kube/mod.js";
import type { LogOptions } from "../../agent/mod.js";
import type { StoredObject } from "../../store/mod.js";
import type { ApiContext, ApiRequest } from "./_context.js";
import { parseSeconds, queryFlag } from "./_http.js";
import { getObject } from "./_read.js";
import { badRequest, HttpError } from "./_status.js";

const podResource = resourceForKind("Pod")!;

/** The container a log or exec request means: the named one, the default-container annotation, or the only one. */
export function pickContainer(pod: StoredObject, requested: string | null): string {
  const containers: any[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  const names = containers.map((container) => container.name as string);
  if (requested) {
    if (!names.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  const annotated = pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
  if (annotated && names.includes(annotated)) return annotated;
  const main = (pod.spec?.containers ?? []).map((container: any) => container.name as string);
  if (main.length === 1) return main[0]!;
  throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${main.join(" ")}]`);
}

/** Refuses containers that have not started yet, in upstream's words. */
export function requireStarted(pod: StoredObject, container: string): void {
  const statuses: any[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
  const found = statuses.find((status) => status.name === container);
  const state = found?.state ?? {};
  if (state.running || state.terminated || found?.lastState?.terminated) return;
  const reason = state.waiting?.reason ?? "ContainerCreating";
  throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`);
}

function logOptions(query: URLSearchParams): LogOptions {
  const options: LogOptions = { follow: queryFlag(query, "follow"), timestamps: queryFlag(query, "timestamps"), previous: queryFlag(query, "previous") };
  const tail = parseSeconds(query.get("tailLines"), "tailLines");
  if (tail !== undefined) options.tailLines = tail;
  const since = parseSeconds(query.get("sinceSeconds"), "sinceSeconds");
  if (since !== undefined) options.sinceSeconds = since;
  const sinceTime = query.get("sinceTime");
  if (sinceTime) {
    const parsed = Date.parse(sinceTime);
    if (Number.isNaN(parsed)) throw badRequest(`invalid value for sinceTime: "${sinceTime}"`);
    options.sinceSeconds = Math.max(0, Math.ceil((Date.now() - parsed) / 1000));
  }
  const limit = parseSeconds(query.get("limitBytes"), "limitBytes");
  if (limit !== undefined) options.limitBytes = limit;
  return options;
}

export async function serveLogs(api: ApiContext, request: ApiRequest): Promise<void> {
  const { res, query } = request;
  const namespace = request.route.namespace ?? "";
  const name = request.route.name!;
  const pod = getObject(api, podResource, namespace, name);
  const container = pickContainer(pod, query.get("container"));
  requireStarted(pod, container);
  const options = logOptions(query);
  const io = api.podIO();
  if (!io) throw new HttpError(503, "ServiceUnavailable", `Cannot read the log of pod "${name}": no node agent serves logs`);
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const stream = await io.logs({ namespace, name }, container, { ...options, signal: abort.signal });
  res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  let sent = 0;
  stream.on("data", (chunk: Buffer) => {
    if (options.limitBytes !== undefined) {
      const room = options.limitBytes - sent;
      if (room <= 0) return;
      chunk = chunk.subarray(0, room);
    }
    sent += chunk.length;
    res.write(chunk);
  });
  await new Promise<void>((resolve) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", resolve);
    res.once("close", resolve);
  });
  stream.destroy();
  res.end();
}
