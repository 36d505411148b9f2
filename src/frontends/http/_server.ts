// The server itself: listening on TCP, TLS or a Unix socket, bounded request timing, every
// request answered (handler errors through the renderer), and a stop that ends idle connections
// at once and in-flight ones within `stopGraceMs`.

import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import { dirname } from "node:path";
import type { Duplex } from "node:stream";
import { type ErrorRenderer, type Exchange, rawAnswer, sendAnswer, settleUnreadBody, type WireAnswer } from "./_answer.js";
import { clientErrorOf, isRequestError } from "./_errors.js";

/** Where to listen: a TCP address (port 0 lets the OS choose) or a Unix socket path. */
export type Listen = { host: string; port: number } | { socketPath: string };

export interface HttpServerOptions {
  /** Names the server in logs: `moor: <name> request <id> failed: ...`. */
  name: string;
  listen: Listen;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  handle(exchange: Exchange): Promise<void> | void;
  renderer: ErrorRenderer;
  /** Takes over the socket of an `Upgrade:` request (WebSocket, SPDY); what it throws is answered through the renderer. */
  upgrade?(request: IncomingMessage, socket: Duplex, head: Buffer): void | Promise<void>;
  /** An idle kept-alive connection closes after this long. */
  keepAliveTimeoutMs?: number;
  /** The request line and headers must arrive within this (slowloris). */
  headersTimeoutMs?: number;
  /** The whole request, body included, must arrive within this. */
  requestTimeoutMs?: number;
  /** How often Node checks the two timeouts above (its own default is 30 s, too coarse a bound). */
  timeoutCheckIntervalMs?: number;
  /** `stop()` cuts connections still busy after this long; 0 cuts them at once. */
  stopGraceMs?: number;
  /** A refused body of known length up to this is drained to keep the connection; see settleUnreadBody. */
  drainBytesMax?: number;
  /** Where internal errors are logged (console.error by default). */
  log?(message: string, error: unknown): void;
}

export const defaults = {
  keepAliveTimeoutMs: 5_000,
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  timeoutCheckIntervalMs: 1_000,
  stopGraceMs: 2_000,
  drainBytesMax: 64 * 1024 * 1024,
};

export class HttpServer {
  readonly #options: HttpServerOptions & typeof defaults;
  readonly #sockets = new Set<Socket>();
  /** The response in progress on each socket, so a late parser error never writes into it. */
  readonly #responses = new WeakMap<object, ServerResponse>();
  /** Connections whose answer is out and whose refused body is still arriving: nothing owed, cut at stop. */
  readonly #draining = new Set<Duplex>();
  #server: Server | undefined;

  constructor(options: HttpServerOptions) {
    this.#options = { ...defaults, ...withoutUndefined(options) };
  }

  /** The TCP port it listens on (the chosen one when configured with 0); undefined for a Unix socket. */
  get port(): number | undefined {
    const address = this.#server?.address();
    if (typeof address === "object" && address) return address.port;
    return "port" in this.#options.listen ? this.#options.listen.port : undefined;
  }

  async start(): Promise<void> {
    const { tls, listen } = this.#options;
    const serve = (request: IncomingMessage, response: ServerResponse) => void this.#serve(request, response);
    const timing = { connectionsCheckingInterval: this.#options.timeoutCheckIntervalMs };
    const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert, ...timing }, serve) : createHttpServer(timing, serve);
    server.keepAliveTimeout = this.#options.keepAliveTimeoutMs;
    server.requestTimeout = this.#options.requestTimeoutMs;
    server.headersTimeout = Math.min(this.#options.headersTimeoutMs, this.#options.requestTimeoutMs || Infinity);
    server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
    server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => this.#answerBroken(error, socket));
    const upgrade = this.#options.upgrade;
    if (upgrade) server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(upgrade, request, socket, head));
    if ("socketPath" in listen) {
      mkdirSync(dirname(listen.socketPath), { recursive: true });
      rmSync(listen.socketPath, { force: true });
    }
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      const listening = () => {
        server.off("error", reject);
        resolve();
      };
      if ("socketPath" in listen) server.listen(listen.socketPath, listening);
      else server.listen(listen.port, listen.host, listening);
    });
    this.#server = server;
  }

  /** Stops listening, closes idle connections now and busy ones after `stopGraceMs`. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    this.#draining.forEach((socket) => socket.destroy());
    const cut = () => this.#sockets.forEach((socket) => socket.destroy());
    const timer = this.#options.stopGraceMs > 0 ? setTimeout(cut, this.#options.stopGraceMs) : undefined;
    if (!timer) cut();
    await closed;
    clearTimeout(timer);
    if ("socketPath" in this.#options.listen) rmSync(this.#options.listen.socketPath, { force: true });
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const exchange: Exchange = { request, response, id: randomUUID() };
    this.#responses.set(request.socket, response);
    try {
      await this.#options.handle(exchange);
    } catch (error) {
      this.#answerError(exchange, error);
    }
  }

  #answerError(exchange: Exchange, error: unknown): void {
    const { request, response } = exchange;
    if (isRequestError(error, "Aborted")) {
      response.destroy();
      return;
    }
    const answer = this.#render(error, exchange, exchange.id);
    if (response.writableEnded || request.socket.destroyed) return;
    // Half an answer is out: the only honest signal left is to cut the connection.
    if (response.headersSent) response.destroy();
    else this.#answerBeforeBody(exchange, answer);
  }

  #answerBeforeBody({ request, response }: Exchange, answer: WireAnswer): void {
    const socket = request.socket;
    if (!request.complete) {
      this.#draining.add(socket);
      const settled = () => this.#draining.delete(socket);
      request.once("end", settled).once("close", settled);
    }
    sendAnswer(response, answer, settleUnreadBody(request, this.#options.drainBytesMax));
  }

  #upgrade(upgrade: NonNullable<HttpServerOptions["upgrade"]>, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => socket.destroy());
    const refuse = (error: unknown) => {
      if (!socket.writable) return void socket.destroy();
      socket.end(rawAnswer(this.#render(error, undefined, `${request.method} ${request.url} upgrade`)));
    };
    try {
      upgrade(request, socket, head)?.catch(refuse);
    } catch (error) {
      refuse(error);
    }
  }

  /** The renderer's answer; anything it does not know is logged and becomes its internal error. */
  #render(error: unknown, exchange: Exchange | undefined, what: string): WireAnswer {
    const answer = this.#options.renderer.render(error, exchange);
    if (answer) return answer;
    (this.#options.log ?? console.error)(`moor: ${this.#options.name} request ${what} failed:`, error);
    return this.#options.renderer.internal(exchange);
  }

  /** Node's parser refused the bytes or they came too slowly: answer in the protocol's shape and close. */
  #answerBroken(error: NodeJS.ErrnoException, socket: Duplex): void {
    const inProgress = this.#responses.get(socket);
    if (!socket.writable || error.code === "ECONNRESET" || (inProgress?.headersSent && !inProgress.writableEnded)) {
      socket.destroy();
      return;
    }
    const problem = clientErrorOf(error);
    const answer = this.#render(problem, undefined, "(not HTTP)");
    socket.end(rawAnswer(answer));
    // The client may never close its side; do not keep the socket for it.
    (socket as Socket).setTimeout?.(this.#options.keepAliveTimeoutMs, () => socket.destroy());
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
