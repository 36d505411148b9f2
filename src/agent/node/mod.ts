// The agent's nodes and its place on the host: the Node status and heartbeat Lease the agent
// keeps for each node it serves, and the layout of what it keeps under the data directory.

export { agentLabel, heartbeatNode, kubeletVersion, leaseNamespace, type NodeFacts } from "./_heartbeat.js";
export { AgentLayout } from "./_layout.js";
