// A pod's volumes on the host, ready to bind into its containers: emptyDir (disk, or tmpfs with
// medium Memory and its sizeLimit), configMap, secret, downwardAPI and projected (files written
// from objects read through the agent port), and persistentVolumeClaim and csi through the VolumeProvider port (the
// mount engine). Everything lives under the pod's directory and goes with the pod.

import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { parseQuantity } from "../../domain/quantity/mod.js";
import { invalid, notFound, quote, unsupported } from "../../errors/mod.js";
import type { ConfigMap, DownwardAPIVolumeFile, EmptyDirVolumeSource, KeyToPath, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Volume, VolumeProjection } from "../../domain/kube/mod.js";
import type { AgentPort } from "../port/mod.js";
import { decodedSecret, podField, resourceField, type PodFacts } from "../downward/mod.js";
import { isMountPoint, mount, unmountBelow } from "../../engines/hostmounts/mod.js";
import type { VolumeProvider } from "../../engines/mount/mod.js";

export interface PreparedVolume {
  name: string;
  hostPath: string;
  /** configMap, secret, downwardAPI and projected volumes are read-only in the container. */
  readOnly: boolean;
  fromProvider: boolean;
  release?(): Promise<void>;
}

export interface VolumeContext {
  port: AgentPort;
  pod: Pod;
  podDir: string;
  provider?: VolumeProvider;
  zone: string;
  facts: PodFacts;
}

interface ProjectedFile {
  path: string;
  content: string | Buffer;
  mode?: number;
}

export async function prepareVolume(context: VolumeContext, volume: Volume): Promise<PreparedVolume> {
  const hostPath = join(context.podDir, "volumes", volume.name);
  const written = (files: ProjectedFile[] | undefined, defaultMode?: number): PreparedVolume => {
    writeFiles(hostPath, files ?? [], defaultMode ?? 0o644);
    return { name: volume.name, hostPath, readOnly: true, fromProvider: false };
  };
  if (volume.emptyDir) return emptyDir(volume.name, volume.emptyDir, hostPath);
  if (volume.configMap) return written(await objectFiles(context, "ConfigMap", volume.configMap), volume.configMap.defaultMode);
  if (volume.secret) return written(await objectFiles(context, "Secret", { ...volume.secret, name: volume.secret.secretName }), volume.secret.defaultMode);
  if (volume.downwardAPI) return written(downwardFiles(context, volume.downwardAPI.items ?? []), volume.downwardAPI.defaultMode);
  if (volume.projected) return written(await projectedFiles(context, volume.projected.sources ?? []), volume.projected.defaultMode);
  if (volume.persistentVolumeClaim || volume.csi) return providerVolume(context, volume);
  const type = Object.keys(volume).find((key) => key !== "name") ?? "unknown";
  throw unsupported(`Cannot mount volume ${quote(volume.name)}: volume type ${quote(type)} is not supported on Fargate`);
}

async function emptyDir(name: string, source: EmptyDirVolumeSource, hostPath: string): Promise<PreparedVolume> {
  mkdirSync(hostPath, { recursive: true, mode: 0o777 });
  chmodSync(hostPath, 0o777);
  if (source.medium === "Memory" && !isMountPoint(hostPath)) {
    const size = parseQuantity(source.sizeLimit);
    await mount("tmpfs", hostPath, { type: "tmpfs", options: ["mode=1777", ...(size ? [`size=${Math.ceil(size)}`] : [])] });
  }
  return { name, hostPath, readOnly: false, fromProvider: false };
}

async function providerVolume(context: VolumeContext, volume: Volume): Promise<PreparedVolume> {
  if (!context.provider) throw unsupported(`Cannot mount volume ${quote(volume.name)}: no mount engine serves persistent volumes here`);
  const namespace = context.pod.metadata.namespace ?? "default";
  let claim: PersistentVolumeClaim | undefined;
  let pv: PersistentVolume | undefined;
  if (volume.persistentVolumeClaim) {
    const claimName = volume.persistentVolumeClaim.claimName;
    claim = await context.port.claim(namespace, claimName);
    if (!claim) throw notFound(`persistentvolumeclaim ${quote(claimName)} not found`);
    if (claim.spec?.volumeName) pv = await context.port.persistentVolume(claim.spec.volumeName);
  }
  const readOnly = !!(volume.persistentVolumeClaim?.readOnly ?? volume.csi?.readOnly);
  const mounted = await context.provider.mount({ pod: context.pod, volumeName: volume.name, volume, claim, pv, zone: context.zone, readOnly, podIp: context.facts.podIp });
  return { name: volume.name, hostPath: mounted.hostPath, readOnly, fromProvider: true, release: mounted.release };
}

/** Tears a pod's volumes down: provider mounts released, tmpfs unmounted, files removed. */
export async function releaseVolumes(podDir: string, prepared: PreparedVolume[]): Promise<void> {
  for (const volume of prepared) await volume.release?.().catch((error) => console.error(`moor agent: releasing volume "${volume.name}" failed:`, error));
  const root = join(podDir, "volumes");
  await unmountBelow(root);
  rmSync(root, { recursive: true, force: true });
}

function safePath(path: string): string {
  const cleaned = normalize(path);
  if (cleaned.startsWith("..") || cleaned.startsWith("/")) throw invalid(`Cannot project file ${quote(path)}: the path leaves its volume`);
  return cleaned;
}

function writeFiles(root: string, files: ProjectedFile[], defaultMode: number): void {
  // The directory itself stays: running containers of an adopted pod have it bound.
  mkdirSync(root, { recursive: true });
  for (const entry of readdirSync(root)) rmSync(join(root, entry), { recursive: true, force: true });
  for (const file of files) {
    const target = join(root, safePath(file.path));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    chmodSync(target, file.mode ?? defaultMode);
  }
}

interface ObjectSource {
  name: string;
  items?: KeyToPath[];
  optional?: boolean;
}

async function objectFiles(context: VolumeContext, kind: "ConfigMap" | "Secret", source: ObjectSource): Promise<ProjectedFile[] | undefined> {
  const namespace = context.pod.metadata.namespace ?? "default";
  const object: Secret | ConfigMap | undefined = kind === "Secret" ? await context.port.secret(namespace, source.name) : await context.port.configMap(namespace, source.name);
  if (!object) {
    // Real API servers inject kube-root-ca.crt into every pod; Moor has no cluster CA yet.
    if (source.optional || source.name === "kube-root-ca.crt") return [];
    throw notFound(`${kind.toLowerCase()} ${quote(source.name)} not found`);
  }
  const data: Record<string, string | Buffer> =
    kind === "Secret"
      ? Object.fromEntries(Object.entries(object.data ?? {}).map(([key, value]) => [key, Buffer.from(value, "base64")]))
      : { ...object.data, ...Object.fromEntries(Object.entries((object as ConfigMap).binaryData ?? {}).map(([key, value]) => [key, Buffer.from(value, "base64")])) };
  if (kind === "Secret") for (const [key, value] of Object.entries(decodedSecret({ ...object, data: {} }))) data[key] = value;
  if (!source.items) return Object.entries(data).map(([path, content]) => ({ path, content }));
  return source.items.flatMap((item) => {
    if (!(item.key in data)) {
      if (source.optional) return [];
      throw notFound(`configmap references non-existent config key: ${item.key}`);
    }
    return [{ path: item.path, content: data[item.key]!, mode: item.mode }];
  });
}

function downwardFiles(context: VolumeContext, items: DownwardAPIVolumeFile[]): ProjectedFile[] {
  return items.map((item) => {
    if (item.fieldRef) return { path: item.path, mode: item.mode, content: podField(context.pod, item.fieldRef.fieldPath, context.facts) };
    if (item.resourceFieldRef) return { path: item.path, mode: item.mode, content: resourceField(context.pod, item.resourceFieldRef, "") };
    throw invalid(`Cannot project file ${quote(item.path)}: it names neither a fieldRef nor a resourceFieldRef`);
  });
}

async function projectedFiles(context: VolumeContext, sources: VolumeProjection[]): Promise<ProjectedFile[]> {
  const files: ProjectedFile[] = [];
  for (const source of sources) {
    if (source.configMap) files.push(...((await objectFiles(context, "ConfigMap", source.configMap)) ?? []));
    else if (source.secret) files.push(...((await objectFiles(context, "Secret", source.secret)) ?? []));
    else if (source.downwardAPI) files.push(...downwardFiles(context, source.downwardAPI.items ?? []));
    // No token issuer exists yet: the file is there so clients that read it start.
    else if (source.serviceAccountToken) files.push({ path: source.serviceAccountToken.path, content: "moor-service-account-token-unavailable" });
  }
  return files;
}
