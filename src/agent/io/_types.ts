// The words of PodIO: which pod, which container, and what a log read or an exec asks for.

import type { Duplex, Readable, Writable } from "node:stream";

export interface PodRef {
  namespace: string;
  name: string;
}

export interface LogOptions {
  follow?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
  previous?: boolean;
  signal?: AbortSignal;
}

export interface ExecOptions {
  stdin: boolean;
  tty: boolean;
  signal?: AbortSignal;
}

export interface ExecSession {
  stdin?: Writable;
  stdout: Readable;
  /** Absent with a TTY (stderr is merged into stdout). */
  stderr?: Readable;
  resize(columns: number, rows: number): void;
  /** Resolves when the command ends: its exit code, or the signal that ended it. */
  exit: Promise<{ code: number; signal?: string }>;
}

/** A TCP connection to a pod's port, opened from inside the pod's network namespace. */
export interface PortForwardConnection {
  /** The connection's bytes both ways; it ends when the pod's side closes. */
  stream: Duplex;
  /** Resolves once the connection is over: why it could not be made or broke, or undefined. */
  failure: Promise<string | undefined>;
}

export interface PodIO {
  /** The container's log as a stream of lines (each ending in "\n"); NotFound/Invalid as MoorError. */
  logs(pod: PodRef, container: string | undefined, options: LogOptions): Promise<Readable>;
  exec(pod: PodRef, container: string | undefined, command: string[], options: ExecOptions): Promise<ExecSession>;
  /** Connects to `port` on the pod's loopback, as the kubelet's port-forward does (absent: not served). */
  portForward?(pod: PodRef, port: number): Promise<PortForwardConnection>;
  /** Puts the host mount at `hostPath` onto `path` inside the running container (its mount namespace). */
  mountInto?(pod: PodRef, container: string | undefined, hostPath: string, path: string): Promise<void>;
  /** Takes a mount off `path` inside the running container. */
  unmountFrom?(pod: PodRef, container: string | undefined, path: string): Promise<void>;
}
