// The DNS server process on 127.0.0.1 (no namespace): UDP and TCP answers, truncation of a
// large UDP answer and the same answer whole over TCP, new records taking effect at once.

import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { connect } from "node:net";
import { after, before, it } from "node:test";
import type { DnsRecord } from "../../src/domain/dns/mod.js";
import { DnsServer } from "../../src/engines/dns/mod.js";
import { freePort } from "../harness.js";

let server: DnsServer;
let port: number;

function query(name: string, type: number, id = 4242): Buffer {
  const labels = name.split(".").map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, type, 0, 1])]);
}

async function overUdp(message: Buffer): Promise<Buffer> {
  const reply = await maybeOverUdp(message, 5000);
  if (!reply) throw new Error("no answer over UDP within 5 s");
  return reply;
}

/** The answer, or undefined when none comes within the time (the daemon is down). */
async function maybeOverUdp(message: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  const socket = createSocket("udp4");
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<Buffer | undefined>((resolve, reject) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
      socket.once("message", resolve);
      socket.once("error", reject);
      socket.send(message, port, "127.0.0.1");
    });
  } finally {
    clearTimeout(timer);
    socket.close();
  }
}

async function overTcp(message: Buffer): Promise<Buffer> {
  const connection = connect(port, "127.0.0.1");
  const frame = Buffer.alloc(2);
  frame.writeUInt16BE(message.length);
  connection.write(Buffer.concat([frame, message]));
  let received = Buffer.alloc(0);
  for await (const chunk of connection) {
    received = Buffer.concat([received, chunk as Buffer]);
    if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) break;
  }
  connection.destroy();
  return received.subarray(2, 2 + received.readUInt16BE(0));
}

const many: DnsRecord[] = Array.from({ length: 60 }, (_, index) => ({ name: "db.shop.svc.cluster.local", type: "A", address: `10.42.0.${index + 4}`, ttlSeconds: 5 }));

before(async () => {
  port = await freePort();
  server = new DnsServer({ addresses: ["127.0.0.1"], port });
  server.publish([{ name: "web.shop.svc.cluster.local", type: "A", address: "10.100.0.20", ttlSeconds: 5 }, ...many]);
  await server.start();
});
after(async () => {
  await server?.stop();
});

it("answers over UDP and TCP with the same records", async () => {
  for (const reply of [await overUdp(query("web.shop.svc.cluster.local", 1)), await overTcp(query("web.shop.svc.cluster.local", 1))]) {
    assert.equal(reply.readUInt16BE(0), 4242);
    assert.equal(reply.readUInt16BE(6), 1);
    assert.deepEqual([...reply.subarray(reply.length - 4)], [10, 100, 0, 20]);
  }
});

it("truncates a UDP answer past 512 bytes and gives it whole over TCP", async () => {
  const udp = await overUdp(query("db.shop.svc.cluster.local", 1));
  assert.ok(udp.readUInt16BE(2) & 0x0200, "TC");
  const tcp = await overTcp(query("db.shop.svc.cluster.local", 1));
  assert.equal(tcp.readUInt16BE(6), 60);
});

it("answers from new records as soon as they are published, cached answers included", async () => {
  assert.equal((await overUdp(query("web.shop.svc.cluster.local", 1))).readUInt16BE(2) & 0xf, 0);
  server.publish([]);
  const deadline = Date.now() + 2000;
  let code = 0;
  while (Date.now() < deadline && code !== 3) code = (await overUdp(query("web.shop.svc.cluster.local", 1, 7))).readUInt16BE(2) & 0xf;
  assert.equal(code, 3, "NXDOMAIN once the Service is gone");
});

it("starts its daemon again when it dies, with the records it had", async () => {
  server.publish([{ name: "web.shop.svc.cluster.local", type: "A", address: "10.100.0.21", ttlSeconds: 5 }]);
  const first = server.pid!;
  process.kill(first, "SIGKILL");
  const deadline = Date.now() + 10_000;
  let reply: Buffer | undefined;
  while (Date.now() < deadline) {
    reply = await maybeOverUdp(query("web.shop.svc.cluster.local", 1, 9), 200);
    if (reply && server.pid !== first) break;
  }
  assert.notEqual(server.pid, first);
  assert.deepEqual([...reply!.subarray(reply!.length - 4)], [10, 100, 0, 21]);
});
