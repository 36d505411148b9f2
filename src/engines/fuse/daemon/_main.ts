// The FUSE daemon process: serves many mounts, each on its own /dev/fuse connection. It takes
// orders on its control socket (_control.ts; `daemon-<pid>.sock` in the state directory named by
// its one argument) from the supervisor of whichever Moor runs, and reports size changes for
// metering in batches. It outlives Moor (DESIGN decision 14): in a session of its own, logging
// to a file, it serves on when Moor stops or dies, and the next Moor connects and adopts its
// mounts. It ends when told to, or when it has nothing left to serve and no Moor is connected.

import { constants, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { Coherence } from "./_coherence.js";
import { ControlSocket } from "./_control.js";
import { DescriptorCache } from "./_descriptors.js";
import { daemonSocketPath, journalFilePath, mountFilePath, type MountRequest, type ToDaemon } from "../wire/mod.js";
import { mountDevice, raiseReadahead } from "./_device.js";
import { Holder } from "./_holder.js";
import { NodeJournal, readJournal } from "./_journal.js";
import { nativeShim } from "./_native.js";
import { Session } from "./_session.js";

const readersPerMount = Number(process.env.MOOR_FUSE_READERS ?? 2);
const spinNanos = Number(process.env.MOOR_FUSE_SPIN_US ?? 0) * 1000;
const inflightPerMount = 16;
const meteringIntervalMs = 100;
const heartbeatMs = Number(process.env.MOOR_FUSE_HEARTBEAT_MS ?? 1000);
/** How long callers wait for a new daemon when this one dies, before they get ENOTCONN. */
const takeoverMs = Number(process.env.MOOR_FUSE_TAKEOVER_MS ?? 30_000);

interface Served {
  session: Session;
  request: MountRequest;
  pendingBytes: number;
}

const served = new Map<number, Served>();
let mounting = 0;
const shim = nativeShim();
const descriptors = new DescriptorCache(descriptorBudget());
const coherence = new Coherence();

/** Half the open-file limit for cached directory descriptors; the rest is for open files. */
function descriptorBudget(): number {
  const line = readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((candidate) => candidate.startsWith("Max open files"));
  const soft = Number(line?.split(/\s+/)[3]);
  return Number.isFinite(soft) && soft > 256 ? Math.floor(soft / 2) : 512;
}

async function mount(request: MountRequest): Promise<void> {
  if (request.resume) return resume(request);
  // Non-blocking when the shim watches the device; blocking reads in the pool otherwise.
  const deviceFd = openSync("/dev/fuse", constants.O_RDWR | (shim ? constants.O_NONBLOCK : 0));
  const entry = sessionFor(deviceFd, request);
  try {
    await mountDevice(deviceFd, request.source, request.mountPoint, {
      readOnly: request.readOnly,
      defaultPermissions: !request.identity,
    });
  } catch (error) {
    entry.session.channel.close();
    entry.session.inodes.clear();
    throw error;
  }
  raiseReadahead(request.mountPoint);
  if (holder) entry.session.inodes.keep(new NodeJournal(journalPath(request.id), true));
  // Before the holder keeps the connection: a kept connection is always one a later Moor can find.
  noteMount(request);
  // Kept by the holder too: if this process dies, callers wait for the next daemon, not fail.
  await holder?.hold(holderKey(request.id), deviceFd).catch((error: Error) => console.error(`moor fuse: ${error.message}: "${request.mountPoint}" fails its callers if this daemon dies`));
  serve(request, entry);
}

/** Serves a mount whose daemon died, on the connection the holder kept: its callers waited. */
async function resume(request: MountRequest): Promise<void> {
  const deviceFd = await holder?.take(holderKey(request.id));
  if (deviceFd === undefined) throw new Error(`no connection of "${request.mountPoint}" is kept: it must be mounted anew`);
  const entry = sessionFor(deviceFd, request);
  entry.session.resume(shim !== null && process.env.MOOR_FUSE_PASSTHROUGH !== "0");
  const journal = journalPath(request.id);
  entry.session.inodes.keep(new NodeJournal(journal, false), readJournal(journal));
  noteMount(request);
  serve(request, entry);
  entry.session.resendUnanswered();
}

/**
 * Notes the mount in the state directory while this daemon serves it (written whole or not at
 * all): if this daemon dies while no Moor runs, the next Moor resumes it from there.
 */
function noteMount(request: MountRequest): void {
  const path = mountFilePath(stateDirectory!, request.id);
  try {
    writeFileSync(`${path}.tmp`, JSON.stringify({ ...request, resume: undefined }), { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  } catch (error) {
    console.error(`moor fuse: noting "${request.mountPoint}" in the state directory failed (${(error as Error).message}): if this daemon dies while no Moor runs, it is not resumed`);
  }
}

function sessionFor(deviceFd: number, request: MountRequest): Served {
  const entry: Served = { session: undefined as unknown as Session, request, pendingBytes: 0 };
  entry.session = new Session(
    deviceFd,
    {
      source: request.source,
      ...(request.within ? { within: request.within } : {}),
      identity: request.identity,
      squashRoot: request.squashRoot,
      readOnly: request.readOnly,
      entryTimeoutMs: request.entryTimeoutMs,
      attrTimeoutMs: request.attrTimeoutMs,
      readers: readersPerMount,
      inflightMax: inflightPerMount,
      spinNanos,
      onBytesWritten: (deltaBytes) => (entry.pendingBytes += deltaBytes),
    },
    shim,
    descriptors,
    coherence,
  );
  return entry;
}

function serve(request: MountRequest, entry: Served): void {
  served.set(request.id, entry);
  entry.session.start((error) => {
    if (error) console.error(`moor fuse: the connection of "${request.mountPoint}" failed:`, error);
    flushMetering(request.id, entry);
    served.delete(request.id);
    void holder?.drop(holderKey(request.id)).catch(() => undefined);
    rmSync(journalPath(request.id), { force: true });
    rmSync(mountFilePath(stateDirectory!, request.id), { force: true });
    control.send({ type: "closed", id: request.id });
    control.endIfIdle();
  });
}

/** Where a mount's node ids are noted for the daemon that takes over (see _journal.ts). */
function journalPath(id: number): string {
  return journalFilePath(stateDirectory!, id);
}

/** A mount's name at the holder: mount ids are unique among the mounts of one state directory. */
function holderKey(id: number): string {
  return `mount-${id}`;
}

/** Sends a mount's size changes; kept while no supervisor is connected (none are lost). */
function flushMetering(id: number, entry: Served): void {
  if (entry.pendingBytes === 0) return;
  if (control.send({ type: "bytes", id, deltaBytes: entry.pendingBytes })) entry.pendingBytes = 0;
}

function stats(id: number): void {
  const entry = served.get(id);
  if (!entry) return void control.send({ type: "failed", id, message: `mount ${id} is not served` });
  control.send({
    type: "stats",
    id,
    stats: {
      requests: Object.fromEntries(entry.session.requestCounts),
      ...(entry.session.handlerNanos.size ? { handlerNanos: Object.fromEntries(entry.session.handlerNanos) } : {}),
      passthrough: entry.session.passthrough,
      inodes: entry.session.inodes.size,
    },
  });
}

function received(message: ToDaemon): void {
  if (message.type === "mount") {
    mounting += 1;
    mount(message)
      .then(
        () => control.send({ type: "mounted", id: message.id }),
        (error: Error) => control.send({ type: "failed", id: message.id, message: error.message }),
      )
      .finally(() => (mounting -= 1));
  } else if (message.type === "stats") {
    stats(message.id);
  } else if (message.type === "exit") {
    // What Moor wanted gone it unmounted first; a mount left here stays, dead (ENOTCONN), until
    // a Moor mounts over it or removes it.
    control.exit();
  }
}

const stateDirectory = process.argv[2];
if (!stateDirectory) {
  console.error("moor fuse: the daemon needs its state directory as its argument");
  process.exit(2);
}
const holder = shim ? new Holder(stateDirectory, takeoverMs, shim) : undefined;
const control = new ControlSocket(daemonSocketPath(stateDirectory, process.pid), {
  greeting: () => ({ type: "ready", pid: process.pid, mounts: [...served.values()].map((entry) => entry.request) }),
  message: received,
  busy: () => served.size > 0 || mounting > 0,
  connected: () => {
    for (const [id, entry] of served) flushMetering(id, entry);
  },
});

setInterval(() => {
  for (const [id, entry] of served) flushMetering(id, entry);
}, meteringIntervalMs).unref();

// Tells the supervisor the event loop still turns: a daemon stuck in a system call or a loop
// answers no request, and the supervisor replaces it as if it had died.
setInterval(() => control.send({ type: "alive" }), heartbeatMs).unref();

// New files get exactly the mode the kernel asked for (it applied the caller's umask already).
process.umask(0);
await control.listen();
