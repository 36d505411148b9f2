// What every pod worker shares: the store, the host layout, the network, images, the monitor
// binary, the event recorder, the volume provider, and the agent's timing knobs.

import type { Recorder } from "../../events/mod.js";
import type { Store } from "../../store/mod.js";
import type { Image, ImageStore } from "../images/mod.js";
import type { AgentLayout } from "../node/mod.js";
import type { VpcNetwork } from "../network/mod.js";
import type { VolumeProvider } from "../volumes/mod.js";

export interface Timing {
  /** First delay of the restart back-off (the kubelet's is 10 s), doubling up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long after SIGTERM and SIGKILL the agent waits for a container to go. */
  killWaitMs: number;
}

export interface AgentContext {
  store: Store;
  layout: AgentLayout;
  network: VpcNetwork;
  images: ImageStore;
  shim: string;
  recorder: Recorder;
  volumes?: VolumeProvider;
  region: string;
  timing: Timing;
  logs: import("../sandboxes/mod.js").LogLimits;
  /** Bounds concurrent sandbox and container starts across pods. */
  starts: import("./_limiter.js").Limiter;
  /** Finds or pulls the image a container names, per its pull policy (events included). */
  ensureImage(pod: import("../../store/mod.js").StoredObject, container: any): Promise<Image>;
}
