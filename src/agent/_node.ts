// Kept for _node-lifecycle.ts, which moves out of the agent with the controller runtime; new code
// imports node/mod.ts.

export { leaseNamespace } from "./node/mod.js";
