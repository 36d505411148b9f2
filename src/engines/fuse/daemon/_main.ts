// The FUSE daemon process: serves many mounts, each on its own /dev/fuse connection, for the Moor
// process that forked it. It takes orders over the IPC channel (../wire) and reports size
// changes for metering in batches. When Moor goes away (the channel disconnects, whether Moor
// stopped or crashed), it exits; the mounts Moor did not unmount first stay, dead, for the next
// Moor to mount over.

import { constants, openSync, readFileSync } from "node:fs";
import { Coherence } from "./_coherence.js";
import { DescriptorCache } from "./_inodes.js";
import type { FromDaemon, MountRequest, ToDaemon } from "../wire/mod.js";
import { mountDevice, raiseReadahead } from "./_device.js";
import { nativeShim } from "./_native.js";
import { Session } from "./_session.js";

const readersPerMount = Number(process.env.MOOR_FUSE_READERS ?? 2);
const spinNanos = Number(process.env.MOOR_FUSE_SPIN_US ?? 0) * 1000;
const inflightPerMount = 16;
const meteringIntervalMs = 100;
const heartbeatMs = Number(process.env.MOOR_FUSE_HEARTBEAT_MS ?? 1000);

interface Served {
  session: Session;
  mountPoint: string;
  pendingBytes: number;
}

const served = new Map<number, Served>();
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

function send(message: FromDaemon): void {
  // With a callback, a channel that closes meanwhile (Moor stopping) is an answer, not a crash.
  if (process.connected) process.send?.(message, undefined, {}, () => undefined);
}

async function mount(request: MountRequest): Promise<void> {
  // Non-blocking when the shim watches the device; blocking reads in the pool otherwise.
  const deviceFd = openSync("/dev/fuse", constants.O_RDWR | (shim ? constants.O_NONBLOCK : 0));
  const entry: Served = { session: undefined as unknown as Session, mountPoint: request.mountPoint, pendingBytes: 0 };
  const session = new Session(
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
  entry.session = session;
  try {
    await mountDevice(deviceFd, request.source, request.mountPoint, {
      readOnly: request.readOnly,
      defaultPermissions: !request.identity,
    });
  } catch (error) {
    session.channel.close();
    session.inodes.clear();
    throw error;
  }
  raiseReadahead(request.mountPoint);
  served.set(request.id, entry);
  session.start((error) => {
    if (error) console.error(`moor fuse: the connection of "${request.mountPoint}" failed:`, error);
    flushMetering(request.id, entry);
    served.delete(request.id);
    send({ type: "closed", id: request.id });
  });
}

function flushMetering(id: number, entry: Served): void {
  if (entry.pendingBytes === 0) return;
  send({ type: "bytes", id, deltaBytes: entry.pendingBytes });
  entry.pendingBytes = 0;
}

function stats(id: number): void {
  const entry = served.get(id);
  if (!entry) return send({ type: "failed", id, message: `mount ${id} is not served` });
  send({
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

process.on("message", (message: ToDaemon) => {
  if (message.type === "mount") {
    mount(message).then(
      () => send({ type: "mounted", id: message.id }),
      (error: Error) => send({ type: "failed", id: message.id, message: error.message }),
    );
  } else if (message.type === "stats") {
    stats(message.id);
  }
});

// Moor went away (stopped or died): end without unmounting. What Moor wanted gone it unmounted
// first; what is left stays in place, dead (ENOTCONN) rather than silently replaced by the empty
// directory beneath, until the next Moor mounts over it at the same path or removes it.
process.on("disconnect", () => process.exit(0));

setInterval(() => {
  for (const [id, entry] of served) flushMetering(id, entry);
}, meteringIntervalMs).unref();

// Tells the supervisor the event loop still turns: a daemon stuck in a system call or a loop
// answers no request, and the supervisor replaces it as if it had died.
setInterval(() => send({ type: "alive" }), heartbeatMs).unref();

// New files get exactly the mode the kernel asked for (it applied the caller's umask already).
process.umask(0);
send({ type: "ready", pid: process.pid });
