// Deployment, ReplicaSet, StatefulSet and Job validation, on create and on update (immutable
// selectors and templates), with upstream's messages.

import { type FieldError, forbidden, immutable, invalidValue, notSupported, required } from "./field-errors.js";
import { requirementsOf, selectorMatches } from "./selectors.js";
import { nonNegative, sortKeys, validatePodSpec } from "./validation-pod.js";

function validateSelectorAndTemplate(spec: any, errors: FieldError[], kindWord: string, claimVolumes: string[] = []): void {
  const selector = spec.selector;
  if (!selector) errors.push(required("spec.selector"));
  else {
    const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
    if (empty) errors.push(invalidValue("spec.selector", selector, `empty selector is invalid for ${kindWord}`));
    else {
      try {
        requirementsOf(selector);
      } catch (error) {
        errors.push(invalidValue("spec.selector", selector, (error as Error).message));
      }
    }
  }
  const template = spec.template;
  if (!template) {
    errors.push(required("spec.template"));
    return;
  }
  const labels = template.metadata?.labels ?? {};
  if (selector && !selectorMatches(selector, labels)) {
    errors.push(invalidValue("spec.template.metadata.labels", labels, "`selector` does not match template `labels`"));
  }
  validatePodSpec(template.spec, "spec.template.spec", errors, claimVolumes);
}

function validateReplicas(spec: any, errors: FieldError[]): void {
  nonNegative(spec.replicas, "spec.replicas", errors);
  nonNegative(spec.minReadySeconds, "spec.minReadySeconds", errors);
  nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit", errors);
}

function requireAlways(spec: any, errors: FieldError[]): void {
  const policy = spec.template?.spec?.restartPolicy;
  if (policy !== undefined && policy !== "Always") errors.push(notSupported("spec.template.spec.restartPolicy", policy, ["Always"]));
}

/** `25%` or an integer; upstream's IntOrString checks. */
function validateIntOrPercent(value: unknown, path: string, errors: FieldError[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") {
    if (value < 0) errors.push(invalidValue(path, value, "must be greater than or equal to 0"));
    return value;
  }
  const match = typeof value === "string" ? /^(\d+)%$/.exec(value) : null;
  if (!match) {
    errors.push(invalidValue(path, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
    return undefined;
  }
  const percent = Number(match[1]);
  if (percent > 100) errors.push(invalidValue(path, value, "must not be greater than 100%"));
  return percent;
}

export function validateDeployment(object: any, errors: FieldError[]): void {
  const spec = object.spec ?? {};
  validateReplicas(spec, errors);
  validateSelectorAndTemplate(spec, errors, "deployment");
  requireAlways(spec, errors);
  const strategy = spec.strategy ?? {};
  const types = ["Recreate", "RollingUpdate"];
  if (strategy.type !== undefined && !types.includes(strategy.type)) errors.push(notSupported("spec.strategy.type", strategy.type, types));
  if (strategy.type === "Recreate" && strategy.rollingUpdate) {
    errors.push(forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
  }
  if (strategy.rollingUpdate) {
    const surge = validateIntOrPercent(strategy.rollingUpdate.maxSurge, "spec.strategy.rollingUpdate.maxSurge", errors);
    const unavailable = validateIntOrPercent(strategy.rollingUpdate.maxUnavailable, "spec.strategy.rollingUpdate.maxUnavailable", errors);
    if (surge === 0 && unavailable === 0) {
      errors.push(invalidValue("spec.strategy.rollingUpdate.maxUnavailable", strategy.rollingUpdate.maxUnavailable, "may not be 0 when `maxSurge` is 0"));
    }
  }
  if (spec.progressDeadlineSeconds !== undefined) {
    nonNegative(spec.progressDeadlineSeconds, "spec.progressDeadlineSeconds", errors);
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errors.push(invalidValue("spec.progressDeadlineSeconds", spec.progressDeadlineSeconds, "must be greater than minReadySeconds"));
    }
  }
}

export function validateReplicaSet(object: any, errors: FieldError[]): void {
  const spec = object.spec ?? {};
  validateReplicas(spec, errors);
  validateSelectorAndTemplate(spec, errors, "replicaset");
  requireAlways(spec, errors);
}

export function validateStatefulSet(object: any, errors: FieldError[]): void {
  const spec = object.spec ?? {};
  validateReplicas(spec, errors);
  const claimVolumes = (spec.volumeClaimTemplates ?? []).map((claim: any) => claim?.metadata?.name).filter(Boolean);
  validateSelectorAndTemplate(spec, errors, "statefulset", claimVolumes);
  requireAlways(spec, errors);
  const policies = ["OrderedReady", "Parallel"];
  if (spec.podManagementPolicy !== undefined && !policies.includes(spec.podManagementPolicy)) {
    errors.push(notSupported("spec.podManagementPolicy", spec.podManagementPolicy, policies));
  }
  const strategies = ["OnDelete", "RollingUpdate"];
  const strategy = spec.updateStrategy?.type;
  if (strategy !== undefined && !strategies.includes(strategy)) errors.push(notSupported("spec.updateStrategy.type", strategy, strategies));
  nonNegative(spec.updateStrategy?.rollingUpdate?.partition, "spec.updateStrategy.rollingUpdate.partition", errors);
  (spec.volumeClaimTemplates ?? []).forEach((claim: any, index: number) => {
    if (!claim?.metadata?.name) errors.push(required(`spec.volumeClaimTemplates[${index}].metadata.name`));
    if (!claim?.spec?.accessModes?.length) {
      errors.push(required(`spec.volumeClaimTemplates[${index}].spec.accessModes`, "at least 1 access mode is required"));
    }
  });
}

export function validateJob(object: any, errors: FieldError[]): void {
  const spec = object.spec ?? {};
  for (const field of ["parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished"]) nonNegative(spec[field], `spec.${field}`, errors);
  if (spec.activeDeadlineSeconds !== undefined && !(spec.activeDeadlineSeconds > 0)) {
    errors.push(invalidValue("spec.activeDeadlineSeconds", spec.activeDeadlineSeconds, "must be greater than or equal to 1"));
  }
  validateSelectorAndTemplate(spec, errors, "job");
  const policy = spec.template?.spec?.restartPolicy;
  if (policy === undefined) errors.push(required("spec.template.spec.restartPolicy", 'valid values: "OnFailure", "Never"'));
  else if (policy !== "OnFailure" && policy !== "Never") errors.push(notSupported("spec.template.spec.restartPolicy", policy, ["OnFailure", "Never"]));
  const modes = ["NonIndexed", "Indexed"];
  if (spec.completionMode !== undefined && !modes.includes(spec.completionMode)) errors.push(notSupported("spec.completionMode", spec.completionMode, modes));
  if (spec.completionMode === "Indexed" && spec.completions === undefined) {
    errors.push(required("spec.completions", "when completion mode is Indexed"));
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a ?? null)) === JSON.stringify(sortKeys(b ?? null));

export function validateWorkloadUpdate(kind: string, object: any, old: any, errors: FieldError[]): void {
  const spec = object.spec ?? {};
  const before = old.spec ?? {};
  if (!same(spec.selector, before.selector)) errors.push(immutable("spec.selector", spec.selector));
  if (kind === "Job") {
    if (!same(spec.template, before.template)) errors.push(immutable("spec.template", spec.template));
    if (spec.completions !== before.completions && spec.completionMode !== "Indexed") {
      errors.push(immutable("spec.completions", spec.completions));
    }
    if (spec.completionMode !== before.completionMode) errors.push(immutable("spec.completionMode", spec.completionMode));
  }
  if (kind === "StatefulSet") {
    const mutable = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];
    const strip = (value: any) => Object.fromEntries(Object.entries(value).filter(([key]) => !mutable.includes(key)));
    if (!same(strip(spec), strip(before))) {
      errors.push(
        forbidden(
          "spec",
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
  }
}
