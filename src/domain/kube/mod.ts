// Kubernetes API rules with no I/O: the resource catalog, names, label and field selectors, the
// three patch formats with the merge-key table, the kinds' shapes (strict decoding), validation
// with upstream's messages, defaulting, and what a deletion means. The kube front end and the
// workload controllers both build on these; nothing here touches a clock, socket or disk.

export * from "./resources.js";
export * from "./names.js";
export * from "./selectors.js";
export * from "./fields.js";
export * from "./patch.js";
export { decodeAgainstShape, shapeOfKind, type Shape } from "./schema.js";
export * from "./field-errors.js";
export { validateCreate, validateUpdate, nameProblems } from "./validation.js";
export { applyDefaults, initialStatus, qosClass } from "./defaults.js";
export * from "./deletion.js";
export { parseQuantity } from "./quantity.js";
export { fieldTree, removeDropped, type FieldTree } from "./managed-fields.js";
export { podConditionTrue, isPodReady, isPodActive, formatAge } from "./pods.js";
export * from "./service-allocation.js";
export type * from "./types.js";
