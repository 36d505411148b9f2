// Small facts about pods that controllers and tables share, and upstream's age format.

import type { StoredObject } from "../objects/mod.js";

export function podConditionTrue(pod: StoredObject, type: string): boolean {
  return (pod.status?.conditions ?? []).some((condition: any) => condition.type === type && condition.status === "True");
}

export function isPodReady(pod: StoredObject): boolean {
  return podConditionTrue(pod, "Ready");
}

/** Counts towards a controller's replicas: not finished, not being deleted. */
export function isPodActive(pod: StoredObject): boolean {
  const phase = pod.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed" && !pod.metadata.deletionTimestamp;
}

/** Upstream's HumanDuration: `5s`, `3m20s`, `2h5m`, `4d`, `2y10d`. */
export function formatAge(seconds: number): string {
  if (seconds < 0 || !Number.isFinite(seconds)) return "<invalid>";
  const s = Math.floor(seconds);
  if (s < 120) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 10) return s % 60 === 0 ? `${minutes}m` : `${minutes}m${s % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(s / 3600);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 730) return `${days}d`;
  const years = Math.floor(days / 365);
  if (years < 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}
