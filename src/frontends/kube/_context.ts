// What every verb handler gets: the store, a clock, the node-agent lookups and the PodIO port,
// and the request it serves.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { PodIO } from "../../agent/mod.js";
import type { MoorConfig } from "../../config/mod.js";
import { agentNodeLabel, type DeletionContext } from "../../domain/kube/mod.js";
import type { EfsService } from "../../services/efs/mod.js";
import type { EksService } from "../../services/eks/mod.js";
import type { Store } from "../../store/mod.js";
import type { ResourceRoute } from "./_route.js";

export interface ApiContext {
  store: Store;
  config: MoorConfig;
  /** The rules of the kinds the AWS services own: writes of those go through them. */
  efs: EfsService;
  eks: EksService;
  now(): Date;
  random(): number;
  /** The node agent's logs/exec port, once an agent is wired. */
  podIO(): PodIO | undefined;
}

/** One request to a resource path, as the verb handlers receive it. */
export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  route: ResourceRoute;
  query: URLSearchParams;
}

export function deletionContext(api: ApiContext): DeletionContext {
  return {
    now: api.now(),
    nodeHasAgent: (nodeName) => Boolean(api.store.get({ kind: "Node", namespace: "", name: nodeName })?.metadata.labels?.[agentNodeLabel]),
  };
}

export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
