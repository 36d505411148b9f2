// The FUSE daemon process: serves many mounts, each on its own /dev/fuse connection. It takes
// orders on its control socket (_control.ts; `daemon-<pid>.sock` in the state directory named by
// its one argument) from the supervisor of whichever Moor runs, and reports size changes for
// metering in batches. It outlives Moor (DESIGN decision 14): in a session of its own, logging
// to a file, it serves on when Moor stops or dies, and the next Moor connects and adopts its
// mounts. It ends when told to, or when it has nothing left to serve and no Moor is connected.

import { constants, openSync, readFileSync } from "node:fs";
import { Coherence } from "./_coherence.js";
import { ControlSocket } from "./_control.js";
import { DescriptorCache } from "./_inodes.js";
import { daemonSocketPath, type MountRequest, type ToDaemon } from "../wire/mod.js";
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
  // Non-blocking when the shim watches the device; blocking reads in the pool otherwise.
  const deviceFd = openSync("/dev/fuse", constants.O_RDWR | (shim ? constants.O_NONBLOCK : 0));
  const entry: Served = { session: undefined as unknown as Session, request, pendingBytes: 0 };
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
    control.send({ type: "closed", id: request.id });
    control.endIfIdle();
  });
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
