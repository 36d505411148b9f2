// The file-system lifecycle controller. It takes EFS objects from what the API wrote to what is
// true on disk, level-triggered:
// - FileSystem `creating`: make its data directory (0755 root:root), start metering, mark it
//   `available`; `deleting`: retire its data directory, delete its access points, then the
//   object; deleted by anyone else: retire the directory and the dependents all the same.
// - AccessPoint and MountTarget `creating` → `available`; ones whose file system is gone go too.
// - Every `publishIntervalMs`, the metered SizeInBytes of each file system is written to its
//   status when it changed, and `numberOfMountTargets` follows the mount targets.

import type { Clock, Timer } from "../../clock/mod.js";
import type { Component } from "../../component/mod.js";
import {
  accessPointKind,
  type FileSystemObject,
  fileSystemKind,
  type LifeCycleState,
  mountTargetKind,
  type SizeInBytes,
} from "../../domain/efs/mod.js";
import type { FileSystemEngine } from "../../engines/filesystems/mod.js";
import type { Store, StoredObject, WatchEvent } from "../../store/mod.js";
import { type Controller, ControllerRuntime, objectKey, splitKey } from "../runtime/mod.js";

export interface FileSystemControllerOptions {
  store: Store;
  engine: FileSystemEngine;
  publishIntervalMs?: number;
  resyncIntervalMs?: number;
  clock: Clock;
}

const kinds = [fileSystemKind, accessPointKind, mountTargetKind];

export class FileSystemController implements Component {
  readonly name = "filesystems";
  readonly #store: Store;
  readonly #engine: FileSystemEngine;
  readonly #clock: Clock;
  readonly #publishIntervalMs: number;
  readonly #reconciler: ControllerRuntime;
  #publisher: Timer | undefined;
  #publishing = false;

  constructor(options: FileSystemControllerOptions) {
    this.#store = options.store;
    this.#engine = options.engine;
    this.#clock = options.clock;
    this.#publishIntervalMs = options.publishIntervalMs ?? 1000;
    const controller: Controller = {
      name: this.name,
      kinds,
      keysFor: (event) => keysFor(event),
      allKeys: () => this.#allKeys(),
      reconcile: (key) => this.#reconcile(key),
      ...(options.resyncIntervalMs ? { resyncIntervalMs: options.resyncIntervalMs } : {}),
    };
    this.#reconciler = new ControllerRuntime({ name: this.name, store: this.#store, clock: options.clock, controllers: [controller] });
  }

  async start(): Promise<void> {
    void this.#engine.directories.purgeTrash();
    this.#engine.meter.start();
    await this.#reconciler.start();
    this.#publishing = true;
    this.#schedulePublish();
  }

  async stop(): Promise<void> {
    this.#publishing = false;
    this.#publisher?.cancel();
    // Waits for a reconcile in flight, so it finishes before its engine goes away.
    await this.#reconciler.stop();
    await this.#engine.meter.stop();
    await this.#engine.directories.settle();
  }

  /** Resolves when every queued change has been reconciled (tests). */
  idle(): Promise<void> {
    return this.#reconciler.idle();
  }

  #schedulePublish(): void {
    if (!this.#publishing) return;
    this.#publisher = this.#clock.after(this.#publishIntervalMs, () => {
      this.#schedulePublish();
      this.publishSizes();
    });
  }

  /** Writes each tracked file system's metered size to its status when it changed. */
  publishSizes(): void {
    for (const fileSystemId of this.#engine.meter.tracked()) {
      const metered = this.#engine.meter.size(fileSystemId);
      if (!metered) continue;
      this.#updateStatus(fileSystemId, (status) => {
        if (status.sizeInBytes?.value === metered.bytes) return undefined;
        const size: SizeInBytes = {
          value: metered.bytes,
          timestamp: new Date(metered.measuredAtMs).toISOString(),
          valueInStandard: metered.bytes,
          valueInIA: 0,
          valueInArchive: 0,
        };
        return { ...status, sizeInBytes: size };
      });
    }
  }

  /** Every file system, and the access points and mount targets still settling. */
  #allKeys(): string[] {
    const keys = this.#store.list(fileSystemKind).items.map((object) => objectKey({ kind: fileSystemKind, name: object.metadata.name }));
    for (const kind of [accessPointKind, mountTargetKind]) {
      for (const object of this.#store.list(kind).items) {
        if (object.status?.lifeCycleState !== "available") keys.push(objectKey({ kind, name: object.metadata.name }));
      }
    }
    return keys;
  }

  async #reconcile(key: string): Promise<void> {
    const { kind, name } = splitKey(key);
    if (kind === fileSystemKind) return this.#reconcileFileSystem(name);
    const object = this.#store.get({ kind, name });
    if (!object) return;
    const owner = this.#store.get({ kind: fileSystemKind, name: object.spec?.fileSystemId });
    if (!owner) {
      this.#deleteQuietly(kind, name);
      return;
    }
    if (object.status?.lifeCycleState === "creating") this.#setState(object, "creating", "available");
  }

  async #reconcileFileSystem(fileSystemId: string): Promise<void> {
    const fileSystem = this.#store.get({ kind: fileSystemKind, name: fileSystemId }) as FileSystemObject | undefined;
    if (!fileSystem) return this.#retire(fileSystemId);
    const state = fileSystem.status?.lifeCycleState;
    if (state === "deleting") {
      await this.#retire(fileSystemId);
      this.#deleteQuietly(fileSystemKind, fileSystemId);
      return;
    }
    await this.#engine.directories.create(fileSystemId);
    this.#engine.meter.track(fileSystemId, fileSystem.status?.sizeInBytes?.value ?? 0);
    const mountTargets = this.#dependents(mountTargetKind, fileSystemId).length;
    this.#updateStatus(fileSystemId, (status) => {
      const lifeCycleState: LifeCycleState = status.lifeCycleState === "creating" || status.lifeCycleState === "updating" ? "available" : status.lifeCycleState;
      if (lifeCycleState === status.lifeCycleState && status.numberOfMountTargets === mountTargets) return undefined;
      return { ...status, lifeCycleState, numberOfMountTargets: mountTargets };
    });
  }

  /** Removes a file system's data and its dependents; safe to repeat. */
  async #retire(fileSystemId: string): Promise<void> {
    this.#engine.meter.untrack(fileSystemId);
    await this.#engine.directories.remove(fileSystemId);
    for (const kind of [accessPointKind, mountTargetKind]) {
      for (const dependent of this.#dependents(kind, fileSystemId)) this.#deleteQuietly(kind, dependent.metadata.name);
    }
  }

  #dependents(kind: string, fileSystemId: string): StoredObject[] {
    return this.#store.list(kind).items.filter((object) => object.spec?.fileSystemId === fileSystemId);
  }

  #setState(object: StoredObject, from: LifeCycleState, to: LifeCycleState): void {
    this.#store.transaction(() => {
      const current = this.#store.get({ kind: object.kind, name: object.metadata.name });
      if (!current || current.status?.lifeCycleState !== from) return;
      this.#store.update({ ...current, status: { ...current.status, lifeCycleState: to } });
    });
  }

  #updateStatus(fileSystemId: string, change: (status: FileSystemObject["status"]) => FileSystemObject["status"] | undefined): void {
    this.#store.transaction(() => {
      const current = this.#store.get({ kind: fileSystemKind, name: fileSystemId });
      if (!current || current.status?.lifeCycleState === "deleting") return;
      const next = change(current.status ?? {});
      if (next) this.#store.update({ ...current, status: next });
    });
  }

  #deleteQuietly(kind: string, name: string): void {
    try {
      this.#store.delete({ kind, name });
    } catch {
      // Already gone: someone else finished the job.
    }
  }
}

function keysFor(event: WatchEvent): string[] {
  const { kind, metadata, spec } = event.object;
  const keys = [objectKey({ kind, name: metadata.name })];
  // A mount target's coming and going changes its file system's count.
  if (kind === mountTargetKind && typeof spec?.fileSystemId === "string") keys.push(objectKey({ kind: fileSystemKind, name: spec.fileSystemId }));
  return keys;
}
