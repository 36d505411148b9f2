// Which available PersistentVolume a claim binds to, as upstream's binder picks: same class,
// every requested access mode, enough capacity, matching selector; the smallest such volume.

import { parseQuantity } from "../../domain/quantity/mod.js";
import type { StoredObject } from "../../store/mod.js";

export function claimClass(claim: StoredObject): string {
  return (claim.spec?.storageClassName as string | undefined) ?? "";
}

export function volumeClass(volume: StoredObject): string {
  return (volume.spec?.storageClassName as string | undefined) ?? "";
}

export function requestBytes(claim: StoredObject): number {
  return parseQuantity(claim.spec?.resources?.requests?.storage) ?? 0;
}

export function capacityBytes(volume: StoredObject): number {
  return parseQuantity(volume.spec?.capacity?.storage) ?? 0;
}

/** Why the volume cannot serve the claim, or undefined when it can. */
export function mismatch(claim: StoredObject, volume: StoredObject): string | undefined {
  if (volumeClass(volume) !== claimClass(claim)) return `storage class "${volumeClass(volume)}" is not the claim's "${claimClass(claim)}"`;
  const offered = new Set((volume.spec?.accessModes ?? []) as string[]);
  const missing = ((claim.spec?.accessModes ?? []) as string[]).filter((mode) => !offered.has(mode));
  if (missing.length > 0) return `it lacks access mode ${missing.join(", ")}`;
  if (capacityBytes(volume) < requestBytes(claim)) return `its capacity ${volume.spec?.capacity?.storage} is less than the requested ${claim.spec?.resources?.requests?.storage}`;
  if ((volume.spec?.volumeMode ?? "Filesystem") !== (claim.spec?.volumeMode ?? "Filesystem")) return "its volume mode differs";
  const wanted = (claim.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
  const labels = volume.metadata.labels ?? {};
  if (Object.entries(wanted).some(([key, value]) => labels[key] !== value)) return "its labels do not match the claim's selector";
  return undefined;
}

export function isAvailableFor(volume: StoredObject, claim: StoredObject): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return volume.status?.phase !== "Released" && volume.status?.phase !== "Failed";
  return ref.name === claim.metadata.name && ref.namespace === claim.metadata.namespace && (!ref.uid || ref.uid === claim.metadata.uid);
}

export function bestMatch(claim: StoredObject, volumes: StoredObject[]): StoredObject | undefined {
  const candidates = volumes.filter((volume) => isAvailableFor(volume, claim) && !mismatch(claim, volume));
  // A volume pre-bound to this claim wins; otherwise the smallest that fits.
  const preBound = candidates.find((volume) => volume.spec?.claimRef);
  if (preBound) return preBound;
  return candidates.sort((a, b) => capacityBytes(a) - capacityBytes(b))[0];
}
