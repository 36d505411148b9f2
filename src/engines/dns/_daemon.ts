// The DNS daemon: a process of its own (started by DnsServer, inside the VPC's network namespace
// when Moor runs it there) that answers UDP and TCP queries on the given addresses from the
// records Moor last sent over the IPC channel. Argument: JSON `{ addresses, port, pidFile? }`;
// how long it lives depends on the pid file (see main).

import { createSocket, type Socket } from "node:dgram";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket as TcpSocket } from "node:net";
import { DnsZone, type DnsRecord } from "../../domain/dns/mod.js";
import { encodeAnswer, encodeError, parseQuery, udpAnswerBytesMax } from "./_wire.js";

/** Open TCP connections at once; more are closed at once. */
const tcpConnectionsMax = 256;
/** A TCP connection idle this long is closed (RFC 7766 suggests seconds). */
const tcpIdleMs = 10_000;
const tcpAnswerBytesMax = 65_535;
const receiveBufferBytes = 4 * 1024 * 1024;

/** Encoded answers kept per (size bound, type, name); emptied when full and on every new zone. */
const answerCacheMax = 10_000;

let zone = new DnsZone([]);
/** The answer after the question (records, authority) and its header, by question. */
const answers = new Map<string, { header: Buffer; tail: Buffer }>();

export function answer(message: Buffer, askerIp: string, bytesMax: number): Buffer | undefined {
  const parsed = parseQuery(message);
  if (!parsed) return undefined;
  if ("error" in parsed) return encodeError(parsed.id, parsed.error);
  const { query } = parsed;
  const question = message.subarray(12, query.questionEnd);
  // Cached whole, but the question is copied from this query: it keeps the asker's letter case.
  const key = `${bytesMax}/${query.type}/${query.recursionDesired}/${query.name.toLowerCase()}`;
  const cached = answers.get(key);
  if (cached) {
    const reply = Buffer.concat([cached.header, question, cached.tail]);
    reply.writeUInt16BE(query.id, 0);
    return reply;
  }
  const found = zone.answer(query.name, query.type, askerIp);
  const reply = encodeAnswer(message, query, found, bytesMax);
  const names = [query.name, ...found.records.flatMap((record) => (record.type === "CNAME" ? [record.target] : []))];
  if (!names.some((name) => zone.dependsOnAsker(name))) {
    if (answers.size >= answerCacheMax) answers.clear();
    answers.set(key, { header: Buffer.from(reply.subarray(0, 12)), tail: Buffer.from(reply.subarray(query.questionEnd)) });
  }
  return reply;
}

/** An answer, or SERVFAIL when answering throws: one bad record never takes the server down. */
function safeAnswer(message: Buffer, askerIp: string, bytesMax: number): Buffer | undefined {
  try {
    return answer(message, askerIp, bytesMax);
  } catch (error) {
    console.error(`moor dns: cannot answer a query: ${error instanceof Error ? error.message : String(error)}`);
    return message.length >= 2 ? encodeError(message.readUInt16BE(0), "SERVFAIL") : undefined;
  }
}

function serveUdp(address: string, port: number): Promise<Socket> {
  const socket = createSocket({ type: "udp4", recvBufferSize: receiveBufferBytes });
  socket.on("message", (message, remote) => {
    const reply = safeAnswer(message, remote.address, udpAnswerBytesMax);
    if (reply) socket.send(reply, remote.port, remote.address);
  });
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind({ address, port, exclusive: true }, () => resolve(socket));
  });
}

function serveTcp(address: string, port: number): Promise<Server> {
  const server = createServer(onConnection);
  server.maxConnections = tcpConnectionsMax;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: address, port }, () => resolve(server));
  });
}

/** Queries over TCP: each framed by a two-byte length (RFC 1035 §4.2.2). */
function onConnection(connection: TcpSocket): void {
  let pending = Buffer.alloc(0);
  connection.setTimeout(tcpIdleMs, () => connection.destroy());
  connection.on("error", () => connection.destroy());
  connection.on("data", (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2) {
      const length = pending.readUInt16BE(0);
      if (pending.length < 2 + length) break;
      const message = pending.subarray(2, 2 + length);
      pending = pending.subarray(2 + length);
      const reply = safeAnswer(message, connection.remoteAddress ?? "", tcpAnswerBytesMax);
      if (!reply) continue;
      const frame = Buffer.alloc(2 + reply.length);
      frame.writeUInt16BE(reply.length, 0);
      reply.copy(frame, 2);
      connection.write(frame);
    }
  });
}

interface RecordsMessage {
  type: "records";
  records: DnsRecord[];
}

/** How often a daemon that outlives Moor checks that its pid file still names it. */
const ownershipCheckMs = 1000;

async function main(): Promise<void> {
  const { addresses, port, pidFile } = JSON.parse(process.argv[2] ?? "{}") as { addresses: string[]; port: number; pidFile?: string };
  process.on("message", (message: RecordsMessage) => {
    if (message?.type !== "records") return;
    zone = new DnsZone(message.records);
    answers.clear();
  });
  // With a pid file the daemon outlives Moor (pods keep their DNS while it restarts) and ends
  // when the file stops naming it: a new daemon took over, or the data directory is gone.
  // Without one it ends with Moor's IPC channel.
  if (!pidFile) process.on("disconnect", () => process.exit(0));
  for (const address of addresses) {
    await serveUdp(address, port);
    await serveTcp(address, port);
  }
  if (pidFile) {
    writeFileSync(pidFile, `${process.pid}\n`);
    setInterval(() => {
      if (!namesThisProcess(pidFile)) process.exit(0);
    }, ownershipCheckMs);
  }
  process.send?.({ type: "ready" });
}

function namesThisProcess(pidFile: string): boolean {
  try {
    return readFileSync(pidFile, "utf8").trim() === String(process.pid);
  } catch {
    return false;
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, "/"))) {
  main().catch((error) => {
    console.error(`moor dns: cannot serve: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
