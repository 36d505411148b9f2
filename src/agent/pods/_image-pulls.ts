// The agent's side of images: imagePullPolicy (Always, IfNotPresent, Never; Always by default
// for ":latest"), pull-secret credentials, and the kubelet's Pulling/Pulled events.

import type { Container, Pod } from "../../domain/kube/mod.js";
import { forbidden, notFound, quote } from "../../errors/mod.js";
import type { AgentPort } from "../port/mod.js";
import type { AgentContext } from "./_context.js";
import { isLatest, isLoopbackRegistry, parseReference, pullImage, type Credentials, type Image, type ImageStore, type RegistryAccess } from "../../engines/images/mod.js";

export interface ImageService {
  ensure(pod: Pod, container: Container): Promise<Image>;
}

/** Registries pulls may reach besides loopback ones; those Moor serves itself come with access. */
export interface RegistryPolicy {
  allowed: string[];
  access?: RegistryAccess;
}

export function createImageService(port: AgentPort, images: ImageStore, recorder: AgentContext["recorder"], registries: RegistryPolicy): ImageService {
  const allowedRegistries = registries.allowed;
  const inFlight = new Map<string, Promise<Image>>();
  return {
    async ensure(pod, container) {
      const reference: string = container.image ?? "";
      const policy: string = container.imagePullPolicy ?? (isLatest(reference) ? "Always" : "IfNotPresent");
      const present = images.find(reference);
      const { registry } = parseReference(reference);
      const served = registries.access?.(registry);
      const reachable = isLoopbackRegistry(registry) || allowedRegistries.includes(registry) || served !== undefined;
      // A local image from a registry Moor may not reach stands in for the pull Always asks for.
      if (present && (policy !== "Always" || !reachable)) {
        recorder.record(pod, "Normal", "Pulled", `Container image "${reference}" already present on machine`);
        return present;
      }
      if (policy === "Never") {
        throw notFound(`Container image "${reference}" is not present with pull policy of Never`, { code: "ErrImageNeverPull" });
      }
      if (!reachable) throw forbidden(`Cannot pull image ${quote(reference)}: registry ${quote(registry)} is not reachable from Moor (only loopback registries are allowed)`);
      recorder.record(pod, "Normal", "Pulling", `Pulling image "${reference}"`);
      const startedAt = Date.now();
      const key = `${reference}\u0000${pod.metadata.namespace}`;
      let pulling = inFlight.get(key);
      if (!pulling) {
        const credentials = (await credentialsFor(port, pod, registry)) ?? served?.credentials;
        // Another sync may have started the same pull while the credentials were read.
        pulling = inFlight.get(key) ?? pullImage(images, reference, { credentials, allowedRegistries, endpoint: served?.endpoint }).finally(() => inFlight.delete(key));
        inFlight.set(key, pulling);
      }
      const image = await pulling;
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(3);
      recorder.record(pod, "Normal", "Pulled", `Successfully pulled image "${reference}" in ${seconds}s. Image size: ${image.sizeBytes} bytes.`);
      return image;
    },
  };
}

/** Credentials for a registry from the pod's imagePullSecrets (kubernetes.io/dockerconfigjson). */
async function credentialsFor(port: AgentPort, pod: Pod, registry: string): Promise<Credentials | undefined> {
  for (const reference of pod.spec?.imagePullSecrets ?? []) {
    const secret = await port.secret(pod.metadata.namespace ?? "default", reference.name);
    const encoded = secret?.data?.[".dockerconfigjson"];
    if (!encoded) continue;
    try {
      const config = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as { auths?: Record<string, { username?: string; password?: string; auth?: string }> };
      const entry = Object.entries(config.auths ?? {}).find(([host]) => host.replace(/^https?:\/\//, "").replace(/\/.*$/, "") === registry)?.[1];
      if (!entry) continue;
      if (entry.username !== undefined) return { username: entry.username, password: entry.password ?? "" };
      if (entry.auth) {
        const [username = "", ...rest] = Buffer.from(entry.auth, "base64").toString("utf8").split(":");
        return { username, password: rest.join(":") };
      }
    } catch {
      // A malformed pull secret is skipped, as the kubelet does.
    }
  }
  return undefined;
}
