// Image references as Docker and Kubernetes spell them: "busybox" means
// "docker.io/library/busybox:latest"; a host part is a first component with a dot, a colon or
// "localhost".

import { invalid } from "../../errors/mod.js";

export interface ImageReference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const referencePattern = /^([a-z0-9._\-/:]+?)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

export function parseReference(text: string): ImageReference {
  const match = referencePattern.exec(text.trim());
  if (!match) throw invalid(`Cannot read image reference "${text}": it is not a valid reference`);
  const [, path, tag, digest] = match;
  const parts = path!.split("/");
  let registry = "docker.io";
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!)) registry = parts.shift()!;
  if (registry === "docker.io" && parts.length === 1) parts.unshift("library");
  return { registry, repository: parts.join("/"), tag: tag ?? (digest ? undefined : "latest"), digest };
}

export function formatReference(reference: ImageReference): string {
  return `${reference.registry}/${reference.repository}${reference.tag ? `:${reference.tag}` : ""}${reference.digest ? `@${reference.digest}` : ""}`;
}

export function normalizeReference(text: string): string {
  return formatReference(parseReference(text));
}

/** "docker.io/library/busybox:latest" → "busybox:latest", as `moor image ls` shows it. */
export function familiarReference(text: string): string {
  return text.replace(/^docker\.io\/library\//, "").replace(/^docker\.io\//, "");
}

/** Whether a tag is "latest" (or absent), which makes Kubernetes default to imagePullPolicy Always. */
export function isLatest(text: string): boolean {
  const reference = parseReference(text);
  return !reference.digest && reference.tag === "latest";
}
