// A mount as the supervisor keeps it (MountRecord: its options, the daemon serving it now, the
// repair under way), how a mount a daemon already serves matches a new request for it (a Moor
// that restarted adopts it), and the checks every new mount passes.

import { statSync } from "node:fs";
import { isAbsolute } from "node:path";
import { invalid, quote, unavailable } from "../../../errors/mod.js";
import type { MountRequest, MountStats } from "../wire/mod.js";
import { moorMountsAt } from "./_mounts.js";
import type { DaemonProcess } from "./_process.js";
import type { FuseMount, FuseMountOptions } from "./_options.js";

export class MountRecord implements FuseMount {
  daemon: DaemonProcess | undefined;
  repair: Promise<void> = Promise.resolve();
  unmounted = false;
  /** Found serving at start-up (`adopt`) and not yet asked for by a caller of this engine. */
  adopted = false;
  constructor(
    readonly id: number,
    public options: FuseMountOptions,
    private readonly unmountRecord: (record: MountRecord) => Promise<void>,
  ) {}
  get mountPoint(): string {
    return this.options.mountPoint;
  }
  get source(): string {
    return this.options.source;
  }
  get daemonPid(): number | undefined {
    return this.daemon?.pid;
  }
  repaired(): Promise<void> {
    return this.repair;
  }
  async stats(): Promise<MountStats> {
    await this.repair;
    if (!this.daemon) throw unavailable(`Cannot read FUSE statistics of ${quote(this.mountPoint)}: it is not served`);
    return this.daemon.stats(this.id);
  }
  unmount(): Promise<void> {
    return this.unmountRecord(this);
  }
}

/** The options of a mount a daemon serves, as the daemon reported them. */
export function optionsOf(request: MountRequest): FuseMountOptions {
  return {
    source: request.source,
    ...(request.within ? { within: request.within } : {}),
    mountPoint: request.mountPoint,
    ...(request.identity ? { identity: request.identity } : {}),
    readOnly: Boolean(request.readOnly),
    squashRoot: Boolean(request.squashRoot),
  };
}

/** Whether two mounts at one place serve the same directory under the same rules. */
export function sameMount(a: FuseMountOptions, b: FuseMountOptions): boolean {
  const identity = (options: FuseMountOptions) => JSON.stringify(options.identity ?? null);
  return (
    a.mountPoint === b.mountPoint &&
    a.source === b.source &&
    (a.within ?? "") === (b.within ?? "") &&
    Boolean(a.readOnly) === Boolean(b.readOnly) &&
    Boolean(a.squashRoot) === Boolean(b.squashRoot) &&
    identity(a) === identity(b)
  );
}

/**
 * A mount point may hold Moor FUSE mounts only when they are dead (their daemon belonged to an
 * earlier Moor): the new mount stacks over them and so reaches the sandboxes that hold them.
 */
export function validate(options: FuseMountOptions, live: MountRecord[]): void {
  const taken = live.some((record) => record.options.mountPoint === options.mountPoint);
  if (taken || (moorMountsAt(options.mountPoint).length > 0 && !isDeadMount(options.mountPoint))) {
    throw invalid(`Cannot mount FUSE at ${quote(options.mountPoint)}: a Moor FUSE mount is already there`);
  }
  const within = options.within;
  if (within !== undefined && (!isAbsolute(within) || (options.source !== within && !options.source.startsWith(`${within.replace(/\/$/, "")}/`)))) {
    throw invalid(`Cannot mount FUSE: source ${quote(options.source)} is not inside ${quote(within)}`);
  }
  for (const [name, path] of [["source", options.source], ["mountPoint", options.mountPoint]] as const) {
    if (!isAbsolute(path)) throw invalid(`Cannot mount FUSE: ${name} ${quote(path)} is not an absolute path`);
    if (name === "mountPoint" && isDeadMount(path)) continue;
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats?.isDirectory()) throw invalid(`Cannot mount FUSE: ${name} ${quote(path)} is not a directory`);
  }
  const identity = options.identity;
  if (identity && ![identity.uid, identity.gid, ...identity.secondaryGids].every((id) => Number.isInteger(id) && id >= 0 && id <= 0xfffffffe)) {
    throw invalid(`Cannot mount FUSE at ${quote(options.mountPoint)}: identity ${quote(JSON.stringify(identity))} is not a POSIX uid/gid set`);
  }
}

function isDeadMount(path: string): boolean {
  try {
    statSync(path);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOTCONN";
  }
}
