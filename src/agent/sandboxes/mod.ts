// Sandboxes: one runc sandbox per pod (its cgroup sized by Fargate's rounding, its network
// namespace, its /etc files) and the containers in it. A container gets its configuration
// (user, environment, volume mounts, OCI spec: buildSpec), an overlay root from its image's
// layers, and a monitor (moor-shim, C) that outlives the agent and records the exit.

export { createSandbox, destroySandbox, cgroupMembers, killCgroup, oomKills, removeCgroup, sandboxFiles, type SandboxFiles, type SandboxRequest, type SandboxSize } from "./_sandbox.js";
export { defaultLogLimits, newContainerId, prepareRoot, readExit, removeContainer, signalContainer, startContainer, type ContainerExit, type LogLimits, type StartedContainer } from "./_container.js";
export { buildSpec, type StartInput } from "./_start.js";
export { shimBinary } from "./_shim.js";
