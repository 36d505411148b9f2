// One FUSE connection's /dev/fuse descriptor: reads requests, hands each to the session, and
// writes replies. With the native shim the descriptor is non-blocking and watched by the event
// loop (epoll), which then drains every queued request itself: no thread hand-off per request.
// Without it, several reads stay outstanding in libuv's pool so the kernel always has a reader.
// Every request owns a buffer from a bounded pool until its handler settles; when the pool is
// empty the channel stops reading, which pushes back on the kernel instead of growing.
//
// Busy polling. Requests come in bursts (a create is LOOKUP, CREATE, FLUSH, RELEASE; an untarred
// file six requests), each sent only after the previous answer. Sleeping in epoll between them
// costs a wake-up per request, and on a virtual machine whose idle vCPUs halt a wake-up costs
// more than the request itself (measured: 65-85 µs per round trip against 25-30 µs when the
// daemon keeps polling). So after answering, with nothing else in flight, the channel keeps
// reading the device for up to `spinNanos` before it goes back to the event loop. When spins
// keep coming back empty (requests arrive further apart than that), it stops spinning until
// requests come close together again, so a trickle of requests costs no polling.

import { close, read, writeSync } from "node:fs";
import { Errno } from "./_errors.js";
import type { NativeShim } from "./_native.js";
import { outHeaderBytes, parseRequest, writeOutHeader, type Request } from "./_protocol.js";

export interface ChannelOptions {
  /** Reads kept outstanding on the device (each holds one pool thread while it waits). */
  readers: number;
  /** Requests being handled at once, beyond the outstanding reads. */
  inflightMax: number;
  /** Size of each request buffer: at least max_write plus the largest request header. */
  bufferBytes: number;
  /** How long to keep reading an empty device after a request before sleeping (0: never). */
  spinNanos?: number;
}

export type RequestHandler = (request: Request) => void | Promise<void>;

const retryableReadErrors = new Set(["ENOENT", "EINTR", "EAGAIN"]);
/** Requests read per wake-up before other events get their turn. */
const drainMax = 64;
/** Empty spins in a row after which the channel stops spinning. */
const emptySpinsMax = 4;
/** A request this soon (ms) after the device went quiet means requests are coming in a burst. */
const burstGapMs = 0.2;

export class Channel {
  readonly fd: number;
  private readonly options: ChannelOptions;
  private readonly free: Buffer[] = [];
  private allocated = 0;
  private reading = 0;
  private closed = false;
  private handler: RequestHandler = () => undefined;
  private onClosed: (error?: Error) => void = () => undefined;
  private watch: unknown;
  private paused = false;
  private emptySpins = 0;
  private quietSinceMs = 0;

  /** With `shim`, `fd` must have been opened with O_NONBLOCK. */
  constructor(fd: number, options: ChannelOptions, private readonly shim: NativeShim | null = null) {
    this.fd = fd;
    this.options = options;
  }

  /** Starts reading; `onClosed` runs once when the connection ends (unmount or abort). */
  start(handler: RequestHandler, onClosed: (error?: Error) => void): void {
    this.handler = handler;
    this.onClosed = onClosed;
    if (this.shim) this.watch = this.shim.watchReadable(this.fd, () => this.drain());
    else this.fill();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends a reply whose payload the caller put at `buffer[16 ..]`. */
  reply(unique: bigint, buffer: Buffer, payloadBytes: number): void {
    const length = outHeaderBytes + payloadBytes;
    writeOutHeader(buffer, length, 0, unique);
    this.write(buffer, length);
  }

  replyError(unique: bigint, errno: number): void {
    const buffer = Buffer.allocUnsafe(outHeaderBytes);
    writeOutHeader(buffer, outHeaderBytes, -Math.abs(errno), unique);
    this.write(buffer, outHeaderBytes);
  }

  /** Sends an unsolicited notification (unique 0, error = the notify code). */
  notify(code: number, buffer: Buffer, payloadBytes: number): void {
    const length = outHeaderBytes + payloadBytes;
    writeOutHeader(buffer, length, code, 0n);
    this.write(buffer, length);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.watch) this.shim?.unwatch(this.watch);
    this.watch = undefined;
    close(this.fd, () => undefined);
  }

  private write(buffer: Buffer, length: number): void {
    if (this.closed) return;
    try {
      writeSync(this.fd, buffer, 0, length);
    } catch (error) {
      // ENOENT: the request was interrupted and the kernel forgot it; ENODEV: the mount is gone.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENODEV") throw error;
    }
  }

  private fill(): void {
    while (!this.closed && this.reading < this.options.readers) {
      const buffer = this.take();
      if (!buffer) return;
      this.reading += 1;
      read(this.fd, buffer, 0, buffer.length, null, (error, bytes) => this.received(buffer, error, bytes));
    }
  }

  private take(): Buffer | undefined {
    const buffer = this.free.pop();
    if (buffer) return buffer;
    if (this.allocated >= this.options.readers + this.options.inflightMax) return undefined;
    this.allocated += 1;
    return Buffer.allocUnsafeSlow(this.options.bufferBytes);
  }

  private release(buffer: Buffer): void {
    this.free.push(buffer);
    if (!this.shim) this.fill();
    else if (this.paused && !this.closed) this.pause(false);
  }

  private pause(paused: boolean): void {
    this.paused = paused;
    this.shim?.pauseWatch(this.watch, paused ? 1 : 0);
  }

  /** Reads every request the kernel has queued (up to drainMax), without blocking but for a spin. */
  private drain(): void {
    const shim = this.shim as NativeShim;
    const spinNanos = this.options.spinNanos ?? 0;
    if (spinNanos > 0 && this.emptySpins >= emptySpinsMax && performance.now() - this.quietSinceMs < burstGapMs) {
      this.emptySpins = 0;
    }
    for (let count = 0; count < drainMax && !this.closed; count += 1) {
      const buffer = this.take();
      if (!buffer) return this.pause(true);
      // Spin only when every earlier request is answered: one in flight may need the event loop.
      const spin = spinNanos > 0 && this.emptySpins < emptySpinsMax && this.free.length === this.allocated - 1;
      const bytes = spin ? shim.readSpin(this.fd, buffer, spinNanos) : shim.readInto(this.fd, buffer);
      if (bytes >= 0) {
        if (spin) this.emptySpins = 0;
        this.dispatch(buffer, bytes);
        continue;
      }
      this.free.push(buffer);
      if (bytes === -Errno.EAGAIN) {
        if (spin) this.emptySpins += 1;
        this.quietSinceMs = performance.now();
        return;
      }
      if (bytes === -Errno.ENOENT || bytes === -Errno.EINTR) continue;
      return this.end(bytes === -Errno.ENODEV ? undefined : new Error(`Cannot read /dev/fuse: errno ${-bytes}`));
    }
  }

  private received(buffer: Buffer, error: NodeJS.ErrnoException | null, bytes: number): void {
    this.reading -= 1;
    if (error) {
      this.free.push(buffer);
      if (retryableReadErrors.has(error.code ?? "")) return this.fill();
      this.end(error.code === "ENODEV" ? undefined : error);
      return;
    }
    this.fill();
    this.dispatch(buffer, bytes);
  }

  private dispatch(buffer: Buffer, bytes: number): void {
    let settled: void | Promise<void> = undefined;
    try {
      settled = this.handler(parseRequest(buffer, bytes));
    } catch (error) {
      console.error("moor fuse: a request handler failed outside its error handling:", error);
    }
    if (settled) settled.then(() => this.release(buffer), () => this.release(buffer));
    else this.release(buffer);
  }

  private end(error?: Error): void {
    if (this.closed) return;
    this.close();
    this.onClosed(error);
  }
}
