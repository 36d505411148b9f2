// The metered size of each file system (EFS's SizeInBytes). Two sources keep it current without
// rescanning the whole tree on every request:
// - a background scan that walks each tracked tree in bounded slices (at most `sliceEntriesMax`
//   entries, then a pause), starting a new pass over a file system at most every
//   `passIntervalMs`; a finished pass replaces the value;
// - `reportWritten`, which engines that see writes (the FUSE daemon) call with size deltas, so
//   the value follows writes between passes.
// Sizes follow EFS's metering: a regular file counts its size rounded up to 4 KiB (less when
// sparse), directories their entries' size rounded up to 4 KiB, links and special files 4 KiB.
// The walk goes by descriptors beneath the file system's root (_beneath.ts): a directory swapped
// for a link while it is walked is skipped, never followed out of the file system.

import { closeSync, constants, type Dir, fstatSync, openSync } from "node:fs";
import { lstat, opendir } from "node:fs/promises";
import { entryPath, openBeneath } from "./_beneath.js";
import { fileSystemDirectory } from "./_layout.js";

export interface MeteredSize {
  bytes: number;
  /** When the value last changed or was confirmed by a pass (epoch ms). */
  measuredAtMs: number;
}

export interface SizeMeterOptions {
  /** The backing root: a file system's tree is `<root>/<fs-id>`. */
  root: string;
  sliceEntriesMax?: number;
  sliceIntervalMs?: number;
  passIntervalMs?: number;
  now?: () => number;
}

interface Tracked {
  base: number;
  /** Bytes reported since the current (or last) pass started. */
  pending: number;
  measuredAtMs: number;
  lastPassEndMs: number;
  /** The pass in progress, if any. */
  pass?: Promise<void>;
}

const blockBytes = 4096;

export class SizeMeter {
  readonly #root: string;
  readonly #sliceEntriesMax: number;
  readonly #sliceIntervalMs: number;
  readonly #passIntervalMs: number;
  readonly #now: () => number;
  readonly #tracked = new Map<string, Tracked>();
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(options: SizeMeterOptions) {
    this.#root = options.root;
    this.#sliceEntriesMax = options.sliceEntriesMax ?? 1000;
    this.#sliceIntervalMs = options.sliceIntervalMs ?? 100;
    this.#passIntervalMs = options.passIntervalMs ?? 2000;
    this.#now = options.now ?? Date.now;
  }

  /** Starts metering a file system, from a previously known size if any. Idempotent. */
  track(fileSystemId: string, knownBytes = 0): void {
    if (this.#tracked.has(fileSystemId)) return;
    this.#tracked.set(fileSystemId, { base: knownBytes, pending: 0, measuredAtMs: this.#now(), lastPassEndMs: 0 });
    this.#wake?.();
  }

  untrack(fileSystemId: string): void {
    this.#tracked.delete(fileSystemId);
  }

  tracked(): string[] {
    return [...this.#tracked.keys()];
  }

  /** Called by engines that write file data: the change of file sizes, in bytes (may be < 0). */
  reportWritten(fileSystemId: string, deltaBytes: number): void {
    const entry = this.#tracked.get(fileSystemId);
    if (!entry || !Number.isFinite(deltaBytes)) return;
    entry.pending += deltaBytes;
    entry.measuredAtMs = this.#now();
  }

  size(fileSystemId: string): MeteredSize | undefined {
    const entry = this.#tracked.get(fileSystemId);
    if (!entry) return undefined;
    return { bytes: Math.max(0, entry.base + entry.pending), measuredAtMs: entry.measuredAtMs };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** One full pass over a file system, now; returns the new size (tests, benchmarks). */
  async measure(fileSystemId: string): Promise<number | undefined> {
    await this.#tracked.get(fileSystemId)?.pass;
    await this.#pass(fileSystemId, Number.POSITIVE_INFINITY);
    return this.size(fileSystemId)?.bytes;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const now = this.#now();
      const due = [...this.#tracked].filter(([, entry]) => !entry.pass && now - entry.lastPassEndMs >= this.#passIntervalMs);
      for (const [fileSystemId] of due) {
        if (!this.#running) break;
        await this.#pass(fileSystemId, this.#sliceEntriesMax).catch((error) => console.error(`moor: metering "${fileSystemId}" failed:`, error));
      }
      await this.#sleep(due.length === 0 ? Math.min(this.#passIntervalMs, 1000) : this.#sliceIntervalMs);
    }
  }

  #pass(fileSystemId: string, sliceEntriesMax: number): Promise<void> {
    const entry = this.#tracked.get(fileSystemId);
    if (!entry) return Promise.resolve();
    if (entry.pass) return entry.pass;
    const pass = this.#scan(fileSystemId, entry, sliceEntriesMax).finally(() => {
      entry.pass = undefined;
      entry.lastPassEndMs = this.#now();
    });
    entry.pass = pass;
    return pass;
  }

  async #scan(fileSystemId: string, entry: Tracked, sliceEntriesMax: number): Promise<void> {
    const pendingAtStart = entry.pending;
    const top = fileSystemDirectory(this.#root, fileSystemId);
    const total = await this.#walk(top, sliceEntriesMax, () => this.#tracked.get(fileSystemId) === entry && this.#running);
    if (total === undefined || this.#tracked.get(fileSystemId) !== entry) return;
    const changed = total !== entry.base + pendingAtStart;
    entry.base = total;
    entry.pending -= pendingAtStart;
    if (changed || entry.pending !== 0) entry.measuredAtMs = this.#now();
  }

  /** Total metered bytes under `top`; undefined when the walk was abandoned. */
  async #walk(top: string, sliceEntriesMax: number, keepGoing: () => boolean): Promise<number | undefined> {
    let topFd: number;
    try {
      topFd = openSync(top, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
    } catch {
      return 0;
    }
    try {
      let total = meteredBytes(fstatSync(topFd));
      // Paths relative to the top, each opened beneath it when its turn comes: one descriptor
      // open per level of the walk, however wide the tree.
      const directories = [""];
      const slice = { entries: 0 };
      while (directories.length > 0) {
        const directory = directories.pop()!;
        const counted = await this.#walkDirectory(topFd, directory, directories, slice, sliceEntriesMax, keepGoing);
        if (counted === undefined) return undefined;
        total += counted;
      }
      return total;
    } finally {
      closeSync(topFd);
    }
  }

  /** Metered bytes of one directory's entries; subdirectories go onto `directories`. */
  async #walkDirectory(topFd: number, directory: string, directories: string[], slice: { entries: number }, sliceEntriesMax: number, keepGoing: () => boolean): Promise<number | undefined> {
    let fd: number;
    try {
      fd = directory === "" ? topFd : openBeneath(topFd, directory, constants.O_RDONLY | constants.O_DIRECTORY);
    } catch {
      return 0; // Removed, or replaced by a link, since it was listed.
    }
    let total = 0;
    try {
      const handle: Dir = await opendir(`/proc/self/fd/${fd}`, { bufferSize: 128 });
      for await (const dirent of handle) {
        const info = await lstat(entryPath(fd, dirent.name)).catch(() => undefined);
        if (info) {
          total += meteredBytes(info);
          if (info.isDirectory()) directories.push(directory === "" ? dirent.name : `${directory}/${dirent.name}`);
        }
        if (++slice.entries >= sliceEntriesMax) {
          slice.entries = 0;
          await this.#sleep(this.#sliceIntervalMs);
          if (!keepGoing()) return undefined;
        }
      }
    } catch {
      // The directory vanished while being read: its entries no longer count.
    } finally {
      if (fd !== topFd) closeSync(fd);
    }
    return total;
  }

  #sleep(ms: number): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      // Metering never keeps a process alive on its own.
      timer.unref();
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }
}

function meteredBytes(info: { size: number; blocks: number; isFile(): boolean; isDirectory(): boolean }): number {
  if (info.isFile()) {
    const logical = roundUp(info.size);
    const allocated = roundUp(info.blocks * 512);
    // Sparse files count what they occupy.
    return info.blocks * 512 < info.size ? allocated : logical;
  }
  if (info.isDirectory()) return Math.max(blockBytes, roundUp(info.size));
  return blockBytes;
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / blockBytes) * blockBytes;
}
