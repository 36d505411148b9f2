// What every pod worker shares: the port to the control plane, the host layout, the network,
// images, the monitor binary, the event recorder, the volume provider, and the timing knobs.

import type { Container, Pod } from "../../domain/kube/mod.js";
import type { StoredObject } from "../../domain/objects/mod.js";
import type { AgentPort, EventType } from "../port/mod.js";
import type { Image, ImageStore } from "../../engines/images/mod.js";
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
  port: AgentPort;
  layout: AgentLayout;
  network: VpcNetwork;
  images: ImageStore;
  shim: string;
  /** Events through the port, fire and forget (an event only reports). */
  recorder: { record(object: StoredObject, type: EventType, reason: string, message: string): void };
  volumes?: VolumeProvider;
  region: string;
  timing: Timing;
  logs: import("../sandboxes/mod.js").LogLimits;
  /** Bounds concurrent sandbox and container starts across pods. */
  starts: import("./_limiter.js").Limiter;
  /** Finds or pulls the image a container names, per its pull policy (events included). */
  ensureImage(pod: Pod, container: Container): Promise<Image>;
}
