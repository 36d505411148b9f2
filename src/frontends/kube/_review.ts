// Access reviews (`kubectl auth can-i`, `kubectl auth whoami`): answered on the spot, never
// stored. Moor has one user, the holder of the token, and it may do everything.

import { apiVersionOf, type ResourceType } from "../../domain/kube/mod.js";
import { isPlainObject } from "./_http.js";

export const moorUser = { username: "moor", groups: ["system:masters", "system:authenticated"] };

export function answerReview(resource: ResourceType, body: unknown) {
  const request = isPlainObject(body) ? body : {};
  const base = { kind: resource.kind, apiVersion: apiVersionOf(resource), metadata: { creationTimestamp: null } };
  if (resource.kind === "SelfSubjectReview") return { ...base, status: { userInfo: moorUser } };
  return { ...base, spec: request.spec ?? {}, status: { allowed: true, reason: "Moor has one user, and it may do everything" } };
}
