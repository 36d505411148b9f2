// PodIO: `kubectl logs` and `kubectl exec` against the agent's containers. Logs are read from the
// CRI-format files the monitors write (rotated files first, partial lines joined); follow tails
// the current file until the container ends. Exec runs `runc exec` (on a pseudo-terminal made
// by moor-shim when a TTY is asked for). Port-forward connects inside the pod's namespace (_forward.ts).

import type { Pod } from "../../domain/kube/mod.js";
import { spawn } from "node:child_process";
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import { invalid, notFound, quote } from "../../errors/mod.js";
import type { ExecOptions, ExecSession, LogOptions, PodIO, PodRef } from "./_types.js";
import { forwardPort } from "./_forward.js";
import { attachMount, detachMount } from "./_attach.js";
import { readExit } from "../sandboxes/mod.js";
import type { AgentContext, ContainerRecord, PodState } from "../pods/mod.js";
import type { AgentLayout } from "../node/mod.js";

/** What PodIO reads of the running agent: its layout, its context and its pod workers' state. */
export interface PodIOHost {
  readonly layout: AgentLayout;
  readonly context: AgentContext;
  readonly workers: ReadonlyMap<string, { readonly state: PodState | undefined }>;
}

const followPollMs = 100;
const chunkBytes = 64 * 1024;

interface Target {
  state: PodState;
  record: ContainerRecord;
  pod: string;
}

async function resolve(agent: PodIOHost, ref: PodRef, container: string | undefined): Promise<Target> {
  const pod = await agent.context.port.pod(ref.namespace, ref.name);
  if (!pod) throw notFound(`pods ${quote(ref.name)} not found`, { subject: { kind: "Pod", name: ref.name } });
  const apps: string[] = (pod.spec?.containers ?? []).map((entry) => entry.name);
  const inits: string[] = (pod.spec?.initContainers ?? []).map((entry) => entry.name);
  let name = container;
  if (!name) {
    if (apps.length !== 1) {
      const initPart = inits.length ? ` or one of the init containers: [${inits.join(" ")}]` : "";
      throw invalid(`a container name must be specified for pod ${ref.name}, choose one of: [${apps.join(" ")}]${initPart}`);
    }
    name = apps[0]!;
  }
  if (!apps.includes(name) && !inits.includes(name)) throw invalid(`container ${name} is not valid for pod ${ref.name}`);
  const state = [...agent.workers.values()].map((worker) => worker.state).find((entry) => entry?.uid === pod.metadata.uid);
  const record = state?.containers[name];
  if (!state || !record || (!record.current && !record.terminated && !record.lastTerminated)) {
    const reason = record?.waiting?.reason ?? (inits.includes(name) ? "PodInitializing" : "ContainerCreating");
    throw invalid(`container ${quote(name)} in pod ${quote(ref.name)} is waiting to start: ${reason}`);
  }
  return { state, record, pod: ref.name };
}

interface Entry {
  time: string;
  text: string;
}

/** Splits CRI log text into entries, joining "P" (partial) pieces with what follows. */
function parseEntries(text: string, carry: { partial: string }): Entry[] {
  const entries: Entry[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    const first = line.indexOf(" ");
    const second = line.indexOf(" ", first + 1);
    const third = line.indexOf(" ", second + 1);
    if (first < 0 || second < 0) continue;
    const tag = line.slice(second + 1, third < 0 ? undefined : third);
    const content = third < 0 ? "" : line.slice(third + 1);
    if (tag === "P") {
      carry.partial += content;
      continue;
    }
    entries.push({ time: line.slice(0, first), text: carry.partial + content });
    carry.partial = "";
  }
  return entries;
}

function format(entry: Entry, options: LogOptions): string {
  return options.timestamps ? `${entry.time} ${entry.text}\n` : `${entry.text}\n`;
}

export function createPodIO(agent: PodIOHost): PodIO {
  return {
    async logs(ref, container, options) {
      const target = await resolve(agent, ref, container);
      const { record, state } = target;
      let restartCount = record.restartCount;
      if (options.previous) {
        if (!record.lastTerminated || restartCount === 0) throw invalid(`previous terminated container ${quote(record.name)} in pod ${quote(target.pod)} not found`);
        restartCount -= 1;
      }
      const file = agent.layout.logFile(state.uid, record.name, restartCount);
      const run = options.previous ? undefined : record.current;
      const ended = () => !run || record.current !== run || !!readExit(agent.layout.containerDir(state.uid, run.id));
      return Readable.from(logLines(file, agent.context.logs.files, options, ended));
    },

    async exec(ref, container, argv, options) {
      const target = await resolve(agent, ref, container);
      const run = target.record.current;
      if (!run) throw invalid(`container ${quote(target.record.name)} in pod ${quote(target.pod)} is not running`);
      if (argv.length === 0) throw invalid("you must specify at least one command for the container");
      return execSession(agent, run.id, argv, options);
    },

    portForward: (ref, port) => forwardPort(agent, ref, port),
    mountInto: async (ref, container, hostPath, path) => attachMount(agent, await runningId(agent, ref, container), hostPath, path),
    unmountFrom: async (ref, container, path) => detachMount(agent, await runningId(agent, ref, container), path),
  };
}

async function runningId(agent: PodIOHost, ref: PodRef, container: string | undefined): Promise<string> {
  const target = await resolve(agent, ref, container);
  const run = target.record.current;
  if (!run) throw invalid(`container ${quote(target.record.name)} in pod ${quote(target.pod)} is not running`);
  return run.id;
}

async function* logLines(file: string, filesMax: number, options: LogOptions, ended: () => boolean): AsyncGenerator<string> {
  const carry = { partial: "" };
  const since = options.sinceSeconds ? Date.now() - options.sinceSeconds * 1000 : undefined;
  const rotated = Array.from({ length: filesMax - 1 }, (_, index) => `${file}.${filesMax - 1 - index}`).filter((path) => existsSync(path));
  let entries: Entry[] = [];
  for (const path of rotated) entries.push(...parseEntries(readWhole(path), carry));
  let fd = existsSync(file) ? openSync(file, "r") : undefined;
  let position = 0;
  const readMore = (): string => {
    if (fd === undefined) {
      if (!existsSync(file)) return "";
      fd = openSync(file, "r");
      position = 0;
    }
    let text = "";
    const buffer = Buffer.alloc(chunkBytes);
    for (;;) {
      const count = readSync(fd, buffer, 0, chunkBytes, position);
      if (count <= 0) break;
      position += count;
      text += buffer.subarray(0, count).toString("utf8");
    }
    // Rotated under us: what is left of the old file was read; go on with the new one.
    if (existsSync(file) && statSync(file).ino !== fstatSync(fd).ino) {
      closeSync(fd);
      fd = undefined;
      return text + readMore();
    }
    // Keep an unfinished last line for the next read.
    const cut = text.lastIndexOf("\n") + 1;
    position -= Buffer.byteLength(text.slice(cut));
    return text.slice(0, cut);
  };
  entries.push(...parseEntries(readMore(), carry));
  if (since) entries = entries.filter((entry) => Date.parse(entry.time) >= since);
  if (options.tailLines !== undefined) entries = options.tailLines > 0 ? entries.slice(-options.tailLines) : [];
  let budget = options.limitBytes ?? Infinity;
  const emit = function* (list: Entry[]) {
    for (const entry of list) {
      const text = format(entry, options);
      if (budget <= 0) return;
      const bytes = Buffer.byteLength(text);
      yield bytes <= budget ? text : Buffer.from(text).subarray(0, budget).toString("utf8");
      budget -= bytes;
    }
  };
  try {
    yield* emit(entries);
    while (options.follow && budget > 0 && !options.signal?.aborted) {
      const done = ended();
      const more = parseEntries(readMore(), carry);
      yield* emit(more);
      if (done && more.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, followPollMs));
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readWhole(path: string): string {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(size);
    readSync(fd, buffer, 0, size, 0);
    return buffer.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function execSession(agent: PodIOHost, id: string, argv: string[], options: ExecOptions): ExecSession {
  const runc = ["runc", "--root", agent.layout.runcRoot, "exec", ...(options.tty ? ["-t"] : []), id, ...argv];
  const child = options.tty
    ? spawn(agent.context.shim, ["tty", "80", "24", ...runc], { stdio: ["pipe", "pipe", "ignore", "pipe"] })
    : spawn(runc[0]!, runc.slice(1), { stdio: [options.stdin ? "pipe" : "ignore", "pipe", "pipe"] });
  const control = options.tty ? (child.stdio[3] as NodeJS.WritableStream) : undefined;
  control?.on("error", () => {});
  const exit = new Promise<{ code: number; signal?: string }>((resolve) => {
    child.on("close", (code, signal) => resolve(signal ? { code: 128 + 9, signal } : { code: code ?? 1 }));
    child.on("error", () => resolve({ code: 126 }));
  });
  options.signal?.addEventListener("abort", () => child.kill("SIGKILL"), { once: true });
  if (options.tty && !options.stdin) child.stdin!.end();
  child.stdin?.on("error", () => {});
  return {
    ...(options.stdin && child.stdin ? { stdin: child.stdin } : {}),
    stdout: child.stdout!,
    ...(options.tty ? {} : { stderr: child.stderr! }),
    resize(columns, rows) {
      control?.write(`${columns} ${rows}\n`);
    },
    exit,
  };
}
