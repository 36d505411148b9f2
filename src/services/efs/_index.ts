// An in-memory index over the EFS objects in the store, for the questions the API asks on every
// request: which access points a file system has (sorted, for paging through 10,000), which
// object holds a creation or client token, which mount targets a file system has and which
// addresses they use. Built from one list at start and kept current by store watches, which the
// store delivers synchronously after each commit; so a check and a write made inside one store
// transaction see a consistent index.

import { accessPointKind, fileSystemKind, mountTargetKind } from "../../domain/efs/mod.js";
import type { Store, StoredObject, WatchEvent } from "../../store/mod.js";

interface Entry {
  fileSystemId: string;
  token?: string;
  ip?: string;
}

export class EfsIndex {
  readonly #fileSystemByToken = new Map<string, string>();
  readonly #fileSystems = new Map<string, Entry>();
  readonly #accessPointByToken = new Map<string, string>();
  readonly #accessPoints = new Map<string, Entry>();
  readonly #accessPointsByFileSystem = new Map<string, string[]>();
  readonly #mountTargets = new Map<string, Entry>();
  readonly #mountTargetsByFileSystem = new Map<string, string[]>();
  readonly #usedIps = new Set<string>();
  #unsubscribe: (() => void)[] = [];

  start(store: Store): void {
    this.stop();
    for (const kind of [fileSystemKind, accessPointKind, mountTargetKind]) {
      // Listing and subscribing in one synchronous step: no change can fall between them.
      for (const object of store.list(kind).items) this.#add(object);
      this.#unsubscribe.push(store.watch({ kind }, (event) => this.#apply(event)));
    }
  }

  stop(): void {
    this.#unsubscribe.forEach((unsubscribe) => unsubscribe());
    this.#unsubscribe = [];
    for (const map of [this.#fileSystemByToken, this.#fileSystems, this.#accessPointByToken, this.#accessPoints, this.#accessPointsByFileSystem, this.#mountTargets, this.#mountTargetsByFileSystem]) {
      map.clear();
    }
    this.#usedIps.clear();
  }

  fileSystemByToken(token: string): string | undefined {
    return this.#fileSystemByToken.get(token);
  }

  fileSystemCount(): number {
    return this.#fileSystems.size;
  }

  accessPointByToken(token: string): string | undefined {
    return this.#accessPointByToken.get(token);
  }

  /** The file system's access point ids, sorted. */
  accessPointsOf(fileSystemId: string): readonly string[] {
    return this.#accessPointsByFileSystem.get(fileSystemId) ?? [];
  }

  /** The file system's mount target ids, sorted. */
  mountTargetsOf(fileSystemId: string): readonly string[] {
    return this.#mountTargetsByFileSystem.get(fileSystemId) ?? [];
  }

  usedIps(): ReadonlySet<string> {
    return this.#usedIps;
  }

  #apply(event: WatchEvent): void {
    this.#remove(event.object);
    if (event.type !== "DELETED") this.#add(event.object);
  }

  #add(object: StoredObject): void {
    const name = object.metadata.name;
    const spec = object.spec ?? {};
    if (object.kind === fileSystemKind) {
      this.#fileSystems.set(name, { fileSystemId: name, token: spec.creationToken });
      if (spec.creationToken) this.#fileSystemByToken.set(spec.creationToken, name);
    } else if (object.kind === accessPointKind) {
      this.#accessPoints.set(name, { fileSystemId: spec.fileSystemId, token: spec.clientToken });
      if (spec.clientToken) this.#accessPointByToken.set(spec.clientToken, name);
      insertSorted(this.#accessPointsByFileSystem, spec.fileSystemId, name);
    } else if (object.kind === mountTargetKind) {
      this.#mountTargets.set(name, { fileSystemId: spec.fileSystemId, ip: spec.ipAddress });
      if (spec.ipAddress) this.#usedIps.add(spec.ipAddress);
      insertSorted(this.#mountTargetsByFileSystem, spec.fileSystemId, name);
    }
  }

  #remove(object: StoredObject): void {
    const name = object.metadata.name;
    if (object.kind === fileSystemKind) {
      const entry = this.#fileSystems.get(name);
      this.#fileSystems.delete(name);
      if (entry?.token && this.#fileSystemByToken.get(entry.token) === name) this.#fileSystemByToken.delete(entry.token);
    } else if (object.kind === accessPointKind) {
      const entry = this.#accessPoints.get(name);
      if (!entry) return;
      this.#accessPoints.delete(name);
      if (entry.token && this.#accessPointByToken.get(entry.token) === name) this.#accessPointByToken.delete(entry.token);
      removeSorted(this.#accessPointsByFileSystem, entry.fileSystemId, name);
    } else if (object.kind === mountTargetKind) {
      const entry = this.#mountTargets.get(name);
      if (!entry) return;
      this.#mountTargets.delete(name);
      if (entry.ip) this.#usedIps.delete(entry.ip);
      removeSorted(this.#mountTargetsByFileSystem, entry.fileSystemId, name);
    }
  }
}

function insertSorted(map: Map<string, string[]>, key: string, id: string): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  const at = firstAfter(list, id, true);
  if (list[at] !== id) list.splice(at, 0, id);
}

function removeSorted(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (!list) return;
  const at = firstAfter(list, id, true);
  if (list[at] === id) list.splice(at, 1);
  if (list.length === 0) map.delete(key);
}

/** Index of the first element > `id` (or >= with `inclusive`) in a sorted list. */
export function firstAfter(list: readonly string[], id: string, inclusive = false): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const item = list[middle]!;
    if (item < id || (!inclusive && item === id)) low = middle + 1;
    else high = middle;
  }
  return low;
}
