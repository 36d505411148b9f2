// pods/{name}/portforward as kubectl 1.32 asks for it: a WebSocket with the subprotocol
// `SPDY/3.1+portforward.k8s.io` tunnelling a SPDY/3.1 session (binary messages carry its
// bytes), or, when that fails or KUBECTL_PORT_FORWARD_WEBSOCKETS=false, the connection itself
// upgraded to SPDY/3.1 (`X-Stream-Protocol-Version: portforward.k8s.io`). For each local connection kubectl opens two streams with the same `requestid` and
// `port` headers: `error` (where a failure is written as text) and `data` (the connection's
// bytes). Once both exist the node agent's PodIO connects to the pod's port; bytes are copied
// both ways until either side closes, and a reset stream ends its connection.

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { resourceForKind } from "../../domain/kube/mod.js";
import type { PodIO, PortForwardConnection } from "../../agent/mod.js";
import type { ApiContext } from "./_context.js";
import { getObject } from "./_read.js";
import { controlFrame, controlType, dataFrame, dataFrameBytesMax, flagFin, HeaderReader, HeaderWriter, SpdyReader, type SpdyFrame } from "./_spdy.js";
import { badRequest, HttpError } from "./_status.js";

const podResource = resourceForKind("Pod")!;
const protocol = "SPDY/3.1+portforward.k8s.io";
/** What `ws` is shown instead: it refuses "/" in a subprotocol (not an RFC 7230 token), kubectl sends it anyway. */
const protocolToken = "spdy-portforward";
/** Connections one port-forward session may hold at once. */
const pairsMax = 1024;

export const portForwardSockets = new WebSocketServer({
  noServer: true,
  maxPayload: 16 * 1024 * 1024,
  handleProtocols: (offered) => (offered.has(protocolToken) ? protocol : false),
});

export interface PortForwardRequest {
  namespace: string;
  name: string;
  io: PodIO & Required<Pick<PodIO, "portForward">>;
}

/** Checks the request before the upgrade, so refusals reach kubectl as a Status it prints. */
export function preparePortForward(api: ApiContext, namespace: string, name: string, req: IncomingMessage): PortForwardRequest {
  const pod = getObject(api, podResource, namespace, name);
  if (pod.status?.phase !== "Running") throw badRequest(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? "Pending"}`);
  if (!tunnelled(req) && !plainSpdy(req)) {
    throw badRequest(`unable to upgrade connection: the server forwards ports over WebSocket with the ${protocol} protocol, or SPDY/3.1 with ${streamProtocol}`);
  }
  const io = api.podIO();
  if (!io?.portForward) throw new HttpError(503, "ServiceUnavailable", `Cannot forward ports of pod "${name}": no node agent serves port-forward`);
  return { namespace, name, io: io as PortForwardRequest["io"] };
}

const streamProtocol = "portforward.k8s.io";
/** Connections upgraded to plain SPDY, ended when the API stops (WebSockets: portForwardSockets). */
const plainSockets = new Set<Duplex>();

function tunnelled(req: IncomingMessage): boolean {
  const offered = String(req.headers["sec-websocket-protocol"] ?? "").split(",").map((item) => item.trim());
  return String(req.headers.upgrade ?? "").toLowerCase() === "websocket" && offered.includes(protocol);
}

function plainSpdy(req: IncomingMessage): boolean {
  const versions = String(req.headers["x-stream-protocol-version"] ?? "").split(",").map((item) => item.trim());
  return String(req.headers.upgrade ?? "").toLowerCase() === "spdy/3.1" && versions.includes(streamProtocol);
}

export function upgradePortForward(req: IncomingMessage, socket: Duplex, head: Buffer, request: PortForwardRequest): void {
  if (!tunnelled(req)) return upgradePlain(socket, head, request);
  req.headers["sec-websocket-protocol"] = protocolToken;
  portForwardSockets.handleUpgrade(req, socket, head, (ws) => {
    const session = new PortForwardSession({ send: (frame) => ws.readyState === ws.OPEN && ws.send(frame), close: () => ws.close(1000) }, request);
    ws.on("message", (data: Buffer) => session.receive(data));
    ws.on("close", () => session.closed());
  });
}

function upgradePlain(socket: Duplex, head: Buffer, request: PortForwardRequest): void {
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${streamProtocol}\r\n\r\n`);
  plainSockets.add(socket);
  const session = new PortForwardSession({ send: (frame) => !socket.destroyed && socket.write(frame), close: () => socket.end() }, request);
  socket.on("data", (data: Buffer) => session.receive(data));
  socket.on("error", () => socket.destroy());
  socket.on("close", () => {
    plainSockets.delete(socket);
    session.closed();
  });
  if (head.length > 0) session.receive(head);
}

/** Ends every port-forward connection (the API is stopping). */
export function stopPortForwards(): void {
  for (const client of portForwardSockets.clients) client.terminate();
  for (const socket of plainSockets) socket.destroy();
}

/** How a session's frames go out: a WebSocket or the upgraded connection itself. */
interface Transport {
  send(frame: Buffer): unknown;
  close(): void;
}

interface Pair {
  port: number;
  errorStream?: number;
  dataStream?: number;
  connection?: PortForwardConnection;
}

class PortForwardSession {
  private readonly reader = new SpdyReader();
  private readonly headersIn = new HeaderReader();
  private readonly headersOut = new HeaderWriter();
  private readonly pairs = new Map<string, Pair>();
  private readonly byStream = new Map<number, string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly transport: Transport, private readonly request: PortForwardRequest) {}

  /** Bytes of the SPDY session, however they were cut. */
  receive(data: Buffer): void {
    let frames: SpdyFrame[];
    try {
      frames = this.reader.push(data);
    } catch {
      this.transport.close();
      return;
    }
    // Frames are handled in order: a data frame must not overtake its stream's SYN_STREAM.
    for (const frame of frames) this.queue = this.queue.then(() => this.handle(frame)).catch(() => undefined);
  }

  closed(): void {
    this.closeAll();
  }

  private send(frame: Buffer): void {
    this.transport.send(frame);
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    if (frame.kind === "data") return this.receiveData(frame.streamId, frame.data, (frame.flags & flagFin) !== 0);
    if (frame.type === controlType.synStream) return this.openStream(frame.payload);
    if (frame.type === controlType.ping) return this.send(controlFrame(controlType.ping, 0, frame.payload));
    if (frame.type === controlType.rstStream) return this.resetStream(frame.payload.readUInt32BE(0) & 0x7fffffff);
    if (frame.type === controlType.goAway) this.transport.close();
    // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do for a port-forward.
  }

  private async openStream(payload: Buffer): Promise<void> {
    const streamId = payload.readUInt32BE(0) & 0x7fffffff;
    const headers = await this.headersIn.decode(payload.subarray(10));
    this.send(controlFrame(controlType.synReply, 0, Buffer.concat([uint32(streamId), this.headersOut.encode({})])));
    const requestId = headers["requestid"] ?? String(streamId);
    const port = Number(headers["port"]);
    if (!this.pairs.has(requestId) && this.pairs.size >= pairsMax) return this.send(dataFrame(streamId, Buffer.alloc(0), true));
    const pair = this.pairs.get(requestId) ?? { port };
    this.pairs.set(requestId, pair);
    this.byStream.set(streamId, requestId);
    if (headers["streamtype"] === "error") pair.errorStream = streamId;
    else if (headers["streamtype"] === "data") pair.dataStream = streamId;
    if (pair.errorStream !== undefined && pair.dataStream !== undefined && !pair.connection) await this.connect(requestId, pair);
  }

  private async connect(requestId: string, pair: Pair): Promise<void> {
    const { namespace, name } = this.request;
    const fail = (message: string) => {
      this.send(dataFrame(pair.errorStream!, Buffer.from(`error forwarding port ${pair.port} to pod ${namespace}/${name}: ${message}`)));
      this.finish(requestId);
    };
    let connection: PortForwardConnection;
    try {
      connection = await this.request.io.portForward({ namespace, name }, pair.port);
    } catch (error) {
      return fail((error as Error).message);
    }
    pair.connection = connection;
    connection.stream.on("data", (chunk: Buffer) => {
      for (let offset = 0; offset < chunk.length; offset += dataFrameBytesMax) this.send(dataFrame(pair.dataStream!, chunk.subarray(offset, offset + dataFrameBytesMax)));
    });
    connection.stream.on("error", () => undefined);
    connection.failure.then((message) => {
      if (!this.pairs.has(requestId)) return;
      if (message) fail(message);
      else this.finish(requestId);
    });
  }

  private receiveData(streamId: number, data: Buffer, fin: boolean): void {
    const requestId = this.byStream.get(streamId);
    const pair = requestId ? this.pairs.get(requestId) : undefined;
    if (!pair || streamId !== pair.dataStream) return;
    if (data.length > 0) pair.connection?.stream.write(data);
    if (fin) pair.connection?.stream.end();
  }

  private resetStream(streamId: number): void {
    const requestId = this.byStream.get(streamId);
    if (requestId) this.finish(requestId, false);
  }

  /** Ends a connection: closes both streams (unless kubectl reset them) and the relay. */
  private finish(requestId: string, closeStreams = true): void {
    const pair = this.pairs.get(requestId);
    if (!pair) return;
    this.pairs.delete(requestId);
    for (const stream of [pair.dataStream, pair.errorStream]) {
      if (stream === undefined) continue;
      this.byStream.delete(stream);
      if (closeStreams) this.send(dataFrame(stream, Buffer.alloc(0), true));
    }
    pair.connection?.stream.destroy();
  }

  private closeAll(): void {
    for (const requestId of [...this.pairs.keys()]) this.finish(requestId, false);
    this.headersIn.close();
  }
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
}
