// Lifecycle configuration rules: one transition per policy object, each kind of transition at
// most once, Archive later than IA, and Archive only for Elastic, General Purpose file systems.

import { badRequest } from "./_errors.js";
import type { FileSystemSpec, LifecyclePolicy } from "./_objects.js";

export interface WireLifecyclePolicy {
  TransitionToIA?: string;
  TransitionToArchive?: string;
  TransitionToPrimaryStorageClass?: string;
}

const fields = ["TransitionToIA", "TransitionToArchive", "TransitionToPrimaryStorageClass"] as const;

/** Checked policies (shape-checked input); an empty list removes the configuration. */
export function lifecyclePoliciesFrom(policies: WireLifecyclePolicy[], spec: FileSystemSpec, action: string): LifecyclePolicy[] {
  const seen = new Set<string>();
  for (const [index, policy] of policies.entries()) {
    const present = fields.filter((field) => policy[field] !== undefined);
    if (present.length !== 1) {
      throw badRequest(`${action}: LifecyclePolicies[${index}] has ${present.length} transitions; each policy object must have exactly one`);
    }
    const field = present[0]!;
    if (seen.has(field)) throw badRequest(`${action}: LifecyclePolicies has ${field} more than once`);
    seen.add(field);
  }
  const ia = policies.find((policy) => policy.TransitionToIA)?.TransitionToIA;
  const archive = policies.find((policy) => policy.TransitionToArchive)?.TransitionToArchive;
  if (archive !== undefined) {
    if (spec.throughputMode !== "elastic" || spec.performanceMode !== "generalPurpose") {
      throw badRequest(`${action}: TransitionToArchive needs a file system with ThroughputMode "elastic" and PerformanceMode "generalPurpose"`);
    }
    if (ia !== undefined && days(archive) <= days(ia)) {
      throw badRequest(`${action}: TransitionToArchive "${archive}" must be later than TransitionToIA "${ia}"`);
    }
  }
  return policies.map((policy) => {
    if (policy.TransitionToIA) return { transitionToIA: policy.TransitionToIA };
    if (policy.TransitionToArchive) return { transitionToArchive: policy.TransitionToArchive };
    return { transitionToPrimaryStorageClass: policy.TransitionToPrimaryStorageClass! };
  });
}

export function lifecyclePoliciesToWire(policies: LifecyclePolicy[]): WireLifecyclePolicy[] {
  return policies.map((policy) => {
    if (policy.transitionToIA) return { TransitionToIA: policy.transitionToIA };
    if (policy.transitionToArchive) return { TransitionToArchive: policy.transitionToArchive };
    return { TransitionToPrimaryStorageClass: policy.transitionToPrimaryStorageClass };
  });
}

function days(rule: string): number {
  return Number(/^AFTER_(\d+)_DAYS?$/.exec(rule)?.[1] ?? Number.NaN);
}
