// FargateProfile objects through the Kubernetes API go through the same rules as `moor profile`:
// created by the profile code (defaults, checks, ARN, status), deleted by marking them DELETING
// for the profile controller, and never changed in place (profiles are immutable, as on EKS).

import { createProfile, deleteProfile } from "../../controllers/profiles/mod.js";
import type { StoredObject } from "../../store/mod.js";
import type { ApiContext } from "./_context.js";
import { badRequest } from "./_status.js";

export function createFargateProfile(api: ApiContext, object: StoredObject): StoredObject {
  const spec = object.spec ?? {};
  if (!Array.isArray(spec.selectors)) throw badRequest(`FargateProfile "${object.metadata.name}" needs spec.selectors`);
  const created = createProfile(api.store, api.config, {
    name: object.metadata.name,
    selectors: spec.selectors,
    subnets: spec.subnets,
    podExecutionRoleArn: spec.podExecutionRoleArn,
    tags: spec.tags,
  });
  const { labels, annotations } = object.metadata;
  if (!labels && !annotations) return created;
  // kubectl apply keeps its last-applied configuration in an annotation: keep what was sent.
  return api.store.update({ ...created, metadata: { ...created.metadata, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) } });
}

export function deleteFargateProfile(api: ApiContext, name: string): StoredObject {
  return deleteProfile(api.store, name);
}
