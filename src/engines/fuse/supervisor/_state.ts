// The supervisor's state directory: where daemons put their control sockets (daemon-<pid>.sock),
// their output (daemons.log), and a note of each mount they serve (mount-<id>.json). A Moor that restarts finds the daemons of the one before it
// there. Root's alone (0700): a daemon takes mount orders from whoever reaches its socket.

import { chmodSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isProcessRunning } from "../../command/mod.js";
import { daemonPidOf, daemonSocketPath, journalFilePath, mountFilePath, mountIdOf, type MountRequest } from "../wire/mod.js";

export class StateDirectory {
  private path: string | undefined;
  private logFd: number | undefined;

  /** Without a path, a fresh temporary directory (tests, tools): no later Moor will look there. */
  constructor(private readonly given: string | undefined) {}

  /** The directory, created on first use. */
  get directory(): string {
    if (!this.path) {
      if (this.given) mkdirSync(this.given, { recursive: true, mode: 0o700 });
      this.path = this.given ?? mkdtempSync(join(tmpdir(), "moor-fuse-"));
      chmodSync(this.path, 0o700);
    }
    return this.path;
  }

  /** The daemons' log, open for appending; none (Moor's stderr) for a temporary directory. */
  get log(): number | undefined {
    if (!this.given) return undefined;
    this.logFd ??= openSync(join(this.directory, "daemons.log"), "a", 0o600);
    return this.logFd;
  }

  /** Pids of the daemons that run with a socket here; sockets of daemons that ended are removed. */
  runningDaemons(): number[] {
    if (!this.given) return [];
    const pids: number[] = [];
    for (const name of readdirSync(this.directory)) {
      const pid = daemonPidOf(name);
      if (pid === undefined) continue;
      if (isProcessRunning(pid)) pids.push(pid);
      else rmSync(daemonSocketPath(this.directory, pid), { force: true });
    }
    return pids;
  }

  /**
   * The mounts daemons noted here as served (mount-<id>.json), whichever daemon serves them now
   * or served them until it died; a file that cannot be read is removed.
   */
  notedMounts(): MountRequest[] {
    if (!this.given) return [];
    const requests: MountRequest[] = [];
    for (const name of readdirSync(this.directory)) {
      const id = mountIdOf(name);
      if (id === undefined) continue;
      try {
        const request = JSON.parse(readFileSync(join(this.directory, name), "utf8")) as MountRequest;
        if (request.id === id && typeof request.mountPoint === "string" && typeof request.source === "string") requests.push(request);
        else this.forgetMount(id);
      } catch {
        this.forgetMount(id);
      }
    }
    return requests.sort((a, b) => a.id - b.id);
  }

  /** The mount is served by no one and will not be resumed: its note goes. */
  forgetMount(id: number): void {
    rmSync(mountFilePath(this.directory, id), { force: true });
    rmSync(`${mountFilePath(this.directory, id)}.tmp`, { force: true });
    rmSync(journalFilePath(this.directory, id), { force: true });
  }

  /** Removes a temporary directory once no daemon is left in it. */
  release(): void {
    if (this.given || !this.path) return;
    const live = readdirSync(this.path).map(daemonPidOf).filter((pid) => pid !== undefined && isProcessRunning(pid));
    if (live.length > 0) return;
    rmSync(this.path, { recursive: true, force: true });
    this.path = undefined;
  }
}
