// Starting one container of a pod: its image (pull policy, ErrImagePull/ImagePullBackOff), its
// configuration (CreateContainerConfigError), its overlay root and its monitor, then its probes.

import type { Container, Pod } from "../../domain/kube/mod.js";
import { command } from "../../engines/command/mod.js";
import { newContainerId, prepareRoot, removeContainer, signalContainer, startContainer } from "../sandboxes/mod.js";
import { record } from "./_state.js";
import type { PodWorker } from "./_worker.js";
import { ContainerProbes } from "./_probes.js";
import { sandboxFiles } from "../sandboxes/mod.js";
import { buildSpec } from "../sandboxes/mod.js";

export async function runContainer(worker: PodWorker, pod: Pod, container: Container, init: boolean): Promise<void> {
  const { context } = worker;
  const state = worker.state!;
  const entry = record(state, container.name, init);
  const now = Date.now();
  if (entry.notBefore && entry.notBefore > now) return;
  if (entry.waiting?.reason === "ErrImagePull") {
    // The failed pull was just reported; now the back-off itself shows.
    entry.waiting = { reason: "ImagePullBackOff", message: `Back-off pulling image "${container.image}"` };
    entry.notBefore = now + (entry.backoffMs ?? context.timing.backoffBaseMs);
    context.recorder.record(pod, "Normal", "BackOff", `Back-off pulling image "${container.image}"`);
    return;
  }
  let image;
  try {
    image = await context.ensureImage(pod, container);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = (error as { code?: string }).code === "ErrImageNeverPull" ? "ErrImageNeverPull" : "ErrImagePull";
    entry.waiting = { reason, message };
    entry.backoffMs = Math.min((entry.backoffMs ?? context.timing.backoffBaseMs / 2) * 2, context.timing.backoffMaxMs);
    entry.notBefore = now + Math.min(1000, entry.backoffMs);
    context.recorder.record(pod, "Warning", "Failed", `Failed to pull image "${container.image}": ${message}`);
    context.recorder.record(pod, "Warning", "Failed", `Error: ${reason}`);
    return;
  }
  const id = newContainerId();
  const directory = worker.containerDir(id);
  const cgroupPath = `${context.layout.podCgroup(state.uid)}/${id}`;
  const restartCount = entry.lastTerminated ? entry.restartCount + 1 : entry.restartCount;
  try {
    const layerDirectories = context.images.layerDirectories(image);
    const rootfs = await prepareRoot(directory, layerDirectories);
    const spec = await buildSpec({
      port: context.port,
      pod,
      container,
      image,
      layerDirectories,
      rootfs,
      volumes: worker.volumes,
      files: sandboxFiles(context.layout.podDir(state.uid)),
      networkNamespace: context.network.namespacePath(context.network.podNamespace(state.uid)),
      cgroupPath,
      facts: { podIp: state.ip, hostIp: state.hostIp },
    });
    const logFile = context.layout.logFile(state.uid, container.name, restartCount);
    // Pulls above run freely; only the CPU-bound start itself waits for a slot.
    const started = await context.starts.run(() => startContainer(context.layout, context.shim, directory, id, spec, { file: logFile, limits: context.logs }));
    const imageId = image.repoDigests[0] ?? image.id;
    Object.assign(entry, { restartCount, imageId, ready: false, started: false, waiting: undefined, terminated: undefined, notBefore: undefined, killedFor: undefined });
    entry.current = { id, startedAt: started.startedAt, imageId, logFile, cgroupPath };
    context.recorder.record(pod, "Normal", "Created", `Created container ${container.name}`);
    context.recorder.record(pod, "Normal", "Started", `Started container ${container.name}`);
    if (!init) startProbes(worker, container, false);
  } catch (error) {
    await removeContainer(context.layout, directory, id);
    const message = error instanceof Error ? error.message : String(error);
    context.recorder.record(pod, "Warning", "Failed", `Error: ${message}`);
    if (isConfigError(error)) {
      entry.waiting = { reason: "CreateContainerConfigError", message };
      entry.notBefore = Date.now() + context.timing.backoffBaseMs;
      return;
    }
    const at = new Date().toISOString();
    entry.restartCount = restartCount;
    worker.planRestart(pod, entry, { exitCode: 128, reason: "StartError", message, startedAt: at, finishedAt: at, containerID: `runc://${id}` }, 0);
  }
}

function isConfigError(error: unknown): boolean {
  return (error as { code?: string })?.code === "CreateContainerConfigError";
}

/** Starts (or, for an adopted container, resumes) a container's probes. */
export function startProbes(worker: PodWorker, container: Container, alreadyStarted: boolean): void {
  const { context } = worker;
  const state = worker.state!;
  const entry = state.containers[container.name];
  const run = entry?.current;
  if (!entry || !run || !state.ip) return;
  worker.probes.get(container.name)?.stop();
  const changed = () => worker.trigger();
  // A failed read leaves the event out; the probe's verdict still counts.
  const livePod = () =>
    context.port.pod(state.namespace, state.name).catch((error) => {
      console.error(`moor agent: reading pod "${state.namespace}/${state.name}" failed:`, error);
      return undefined;
    });
  const probes = new ContainerProbes(
    container,
    {
      shim: context.shim,
      networkNamespacePath: context.network.namespacePath(context.network.podNamespace(state.uid)),
      podIp: state.ip,
      ports: container.ports ?? [],
      exec: async (argv, timeoutMs) => {
        const result = await command("runc", ["--root", context.layout.runcRoot, "exec", run.id, ...argv], { allowFailure: true, timeoutMs });
        return { code: result.code, output: `${result.stdout}${result.stderr}` };
      },
    },
    {
      ready: (ready) => {
        if (entry.current !== run || entry.ready === ready) return;
        entry.ready = ready;
        changed();
      },
      started: () => {
        if (entry.current !== run) return;
        entry.started = true;
        changed();
      },
      unhealthy: (message) => {
        void livePod().then((pod) => {
          if (pod && entry.current === run) context.recorder.record(pod, "Warning", "Unhealthy", message);
        });
      },
      failed: (kind) => {
        if (entry.current !== run) return;
        entry.killedFor = kind;
        void livePod().then((pod) => {
          if (entry.current !== run) return;
          if (pod) context.recorder.record(pod, "Normal", "Killing", `Container ${container.name} failed ${kind.toLowerCase()} probe, will be restarted`);
          const graceSeconds = pod?.spec?.terminationGracePeriodSeconds ?? 30;
          void signalContainer(context.layout, run.id, "TERM");
          setTimeout(() => {
            if (entry.current === run) void signalContainer(context.layout, run.id, "KILL");
          }, graceSeconds * 1000).unref();
        });
      },
    },
  );
  worker.probes.set(container.name, probes);
  probes.start(alreadyStarted);
}
