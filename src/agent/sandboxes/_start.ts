// Everything a container needs before runc sees it: who it runs as, its environment, its
// volume mounts and, from those, its OCI config. Errors here are the pod author's
// (CreateContainerConfigError), not the runtime's.

import { type PodDnsSpec, podHostname } from "../../domain/dns/mod.js";
import type { Container, Pod } from "../../domain/kube/mod.js";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { invalid, quote } from "../../errors/mod.js";
import type { AgentPort } from "../port/mod.js";
import type { PodFacts } from "../downward/mod.js";
import { containerEnv } from "./_env.js";
import type { Image } from "../../engines/images/mod.js";
import type { SandboxFiles } from "./_sandbox.js";
import { ociSpec, type VolumeMount } from "./_spec.js";
import type { PreparedVolume } from "../volumes/mod.js";

export interface StartInput {
  port: AgentPort;
  pod: Pod;
  container: Container;
  image: Image;
  layerDirectories: string[];
  rootfs: string;
  volumes: Map<string, PreparedVolume>;
  files: SandboxFiles;
  networkNamespace: string;
  cgroupPath: string;
  facts: PodFacts;
}

function configError(message: string) {
  return invalid(message, { code: "CreateContainerConfigError" });
}

/** Looks a user or group name up in the image's /etc files, top layer first. */
function lookup(layers: string[], file: "passwd" | "group", name: string): string[] | undefined {
  for (const layer of layers) {
    const path = join(layer, "etc", file);
    if (!existsSync(path)) continue;
    const line = readFileSync(path, "utf8").split("\n").find((entry) => entry.split(":")[0] === name);
    return line?.split(":");
  }
  return undefined;
}

export function resolveUser(input: Pick<StartInput, "pod" | "container" | "image" | "layerDirectories">) {
  const { pod, container } = input;
  const context = { ...pod.spec?.securityContext, ...container.securityContext };
  const [imageUser = "", imageGroup] = (input.image.config.User ?? "").split(":");
  let uid: number | undefined = context.runAsUser;
  let gid: number | undefined = context.runAsGroup;
  const podName = `${pod.metadata.namespace ?? "default"}/${pod.metadata.name}(${pod.metadata.uid})`;
  if (uid === undefined && imageUser && !/^\d+$/.test(imageUser)) {
    if (context.runAsNonRoot) {
      throw configError(`container has runAsNonRoot and image has non-numeric user (${imageUser}), cannot verify user is non-root (pod: "${podName}", container: ${container.name})`);
    }
    const entry = lookup(input.layerDirectories, "passwd", imageUser);
    if (!entry) throw configError(`unable to find user ${imageUser}: no matching entries in passwd file`);
    uid = Number(entry[2]);
    gid ??= Number(entry[3]);
  }
  uid ??= imageUser ? Number(imageUser) : 0;
  if (gid === undefined && imageGroup) gid = /^\d+$/.test(imageGroup) ? Number(imageGroup) : Number(lookup(input.layerDirectories, "group", imageGroup)?.[2] ?? 0);
  gid ??= 0;
  if (context.runAsNonRoot && uid === 0) {
    throw configError(`container has runAsNonRoot and image will run as root (pod: "${podName}", container: ${container.name})`);
  }
  const additionalGids: number[] = [...(pod.spec?.securityContext?.supplementalGroups ?? [])];
  if (pod.spec?.securityContext?.fsGroup !== undefined) additionalGids.push(pod.spec.securityContext.fsGroup);
  return { uid, gid, additionalGids };
}

/** Bind mounts for the container's volumeMounts; subPath directories are made as needed. */
export function volumeMounts(container: Container, volumes: Map<string, PreparedVolume>): VolumeMount[] {
  return (container.volumeMounts ?? []).map((mount): VolumeMount => {
    const volume = volumes.get(mount.name);
    if (!volume) throw configError(`cannot find volume ${quote(mount.name)} to mount into container ${quote(container.name)}`);
    let source = volume.hostPath;
    if (mount.subPath) {
      const sub = normalize(mount.subPath);
      if (sub.startsWith("..") || sub.startsWith("/")) throw configError(`subPath ${quote(mount.subPath)} must not leave its volume`);
      source = join(volume.hostPath, sub);
      if (!existsSync(source)) {
        if (volume.readOnly) throw configError(`subPath ${quote(mount.subPath)} does not exist in volume ${quote(mount.name)}`);
        mkdirSync(source, { recursive: true, mode: 0o777 });
      }
    }
    return {
      destination: mount.mountPath,
      source,
      readOnly: !!mount.readOnly || volume.readOnly,
      propagation: volume.fromProvider ? "rslave" : "rprivate",
    };
  });
}

/** The container's mount points must exist in its root before runc binds onto them. */
function makeMountPoints(rootfs: string, mounts: VolumeMount[]): void {
  for (const mount of mounts) {
    const target = join(rootfs, mount.destination);
    if (existsSync(target)) continue;
    if (statSync(mount.source).isDirectory()) mkdirSync(target, { recursive: true });
    else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, "");
    }
  }
}

export async function buildSpec(input: StartInput): Promise<object> {
  const user = resolveUser(input);
  const env = await containerEnv(input.port, input.pod, input.container, input.image.config.Env, input.facts);
  const mounts = volumeMounts(input.container, input.volumes);
  makeMountPoints(input.rootfs, mounts);
  return ociSpec({
    // The UTS hostname: spec.hostname when set (StatefulSet pods), else the pod's name.
    podName: podHostname((input.pod.spec as PodDnsSpec | undefined) ?? {}, input.pod.metadata.name),
    container: input.container,
    podSecurityContext: input.pod.spec?.securityContext,
    image: input.image.config,
    rootfs: input.rootfs,
    env,
    mounts,
    files: input.files,
    networkNamespace: input.networkNamespace,
    ipcNamespace: input.files.ipcNamespace,
    cgroupsPath: input.cgroupPath,
    user,
    openFilesHardMax: openFilesHardMax(),
  });
}

let hardMax: number | undefined;
function openFilesHardMax(): number {
  if (hardMax === undefined) {
    const line = readFileSync("/proc/self/limits", "utf8").split("\n").find((entry) => entry.startsWith("Max open files"));
    const value = line?.trim().split(/\s+/)[4];
    hardMax = value && /^\d+$/.test(value) ? Number(value) : 1024;
  }
  return hardMax;
}
