// Shared pieces of the table printers: column definitions and the common cells (name, age).

import { formatAge } from "../../domain/kube/mod.js";
import type { StoredObject } from "../../store/mod.js";

export interface Column {
  name: string;
  priority: number;
  format?: string;
}

export interface Printer {
  columns: Column[];
  cells(object: StoredObject, now: Date): string[];
}

export const none = "<none>";
export const nameColumn: Column = { name: "Name", priority: 0, format: "name" };

export function age(object: StoredObject, now: Date): string {
  const created = object.metadata.creationTimestamp;
  if (!created) return "<unknown>";
  return formatAge((now.getTime() - Date.parse(created)) / 1000);
}

export function ageSince(time: string | undefined, now: Date): string {
  if (!time) return "<unknown>";
  return formatAge((now.getTime() - Date.parse(time)) / 1000);
}

export function containerNames(spec: any): string {
  return (spec?.containers ?? []).map((container: any) => container.name).join(",");
}
export function containerImages(spec: any): string {
  return (spec?.containers ?? []).map((container: any) => container.image).join(",");
}

