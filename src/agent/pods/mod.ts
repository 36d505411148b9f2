// Pods: one worker per pod, level-triggered, that brings the host towards the pod (sandbox,
// volumes, init containers in order, app containers with restarts, back-off and probes) and
// writes back its status; deletion ends with the kubelet's final delete. A pod's progress lives
// in a state file under its directory, so a new agent re-adopts running pods.

export { PodWorker } from "./_worker.js";
export { startProbes } from "./_run.js";
export { loadStates, imageInUse, type ContainerRecord, type PodState } from "./_state.js";
export { Limiter } from "./_limiter.js";
export { createImageService, type ImageService } from "./_image-pulls.js";
export type { AgentContext, Timing } from "./_context.js";
