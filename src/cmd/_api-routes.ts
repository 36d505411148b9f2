// The moor API's routes (see src/frontends/moor): each maps a `moor` subcommand's request to
// the module that owns the rule.

import type { MoorConfig } from "../config/mod.js";
import { createNodeGroup, createProfile, deleteNodeGroup, deleteProfile } from "../controllers/profiles/mod.js";
import { invalid } from "../errors/mod.js";
import type { Routes } from "../frontends/moor/mod.js";
import type { Store } from "../store/mod.js";

export function moorApiRoutes(config: MoorConfig, store: Store): Routes {
  return {
    "GET fargate-profiles": () => ({ items: store.list("FargateProfile").items }),
    "POST fargate-profiles": ({ body }) => createProfile(store, config, objectBody(body) as never),
    "DELETE fargate-profiles": ({ path }) => deleteProfile(store, path[0] ?? ""),
    "GET node-groups": () => ({ items: store.list("NodeGroup").items }),
    "POST node-groups": ({ body }) => createNodeGroup(store, config, objectBody(body) as never),
    "DELETE node-groups": ({ path }) => deleteNodeGroup(store, path[0] ?? ""),
  };
}

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalid("Cannot read the request: the body must be a JSON object");
  return body as Record<string, unknown>;
}
