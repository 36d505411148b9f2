// Scheduling rules with no I/O: which Fargate profile selects a pod, and what Fargate refuses.

export * from "./profiles.js";
export * from "./fargate-support.js";
export { wildcardMatches } from "./_wildcard.js";
