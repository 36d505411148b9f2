import assert from "node:assert/strict";
import { it } from "node:test";
import type { DnsRecord } from "../../domain/dns/mod.js";
import { encodeAnswer, encodeError, parseQuery, type Query } from "./_wire.js";

function query(name: string, type: number, options: { id?: number; flags?: number; questions?: number } = {}): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(options.id ?? 0x1234, 0);
  header.writeUInt16BE(options.flags ?? 0x0100, 2);
  header.writeUInt16BE(options.questions ?? 1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2);
  const labels = name.split(".").map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]));
  return Buffer.concat([header, ...labels, Buffer.from([0]), tail]);
}

function parsed(message: Buffer): Query {
  const result = parseQuery(message);
  assert.ok(result && "query" in result, "a query");
  return result.query;
}

/** Reads a name at an offset, following compression pointers. */
function readName(message: Buffer, start: number): { name: string; end: number } {
  const labels: string[] = [];
  let offset = start;
  let end = -1;
  for (;;) {
    const length = message[offset]!;
    if (length === 0) break;
    if (length >= 0xc0) {
      if (end < 0) end = offset + 2;
      offset = message.readUInt16BE(offset) & 0x3fff;
      continue;
    }
    labels.push(message.toString("latin1", offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  return { name: labels.join("."), end: end >= 0 ? end : offset + 1 };
}

it("parseQuery() reads the id, the name as asked and the type of a standard query", () => {
  const message = query("Web.Shop.svc.cluster.local", 1, { id: 77 });
  assert.deepEqual(parsed(message), { id: 77, recursionDesired: true, name: "Web.Shop.svc.cluster.local", type: 1, questionEnd: message.length });
});

it("parseQuery() refuses what it cannot serve and ignores responses and runts", () => {
  assert.deepEqual(parseQuery(query("a.b", 1, { flags: 0x2800 })), { error: "NOTIMP", id: 0x1234 }, "an UPDATE");
  assert.deepEqual(parseQuery(query("a.b", 1, { questions: 2 })), { error: "FORMERR", id: 0x1234 });
  assert.deepEqual(parseQuery(query("a.b", 1).subarray(0, 15)), { error: "FORMERR", id: 0x1234 });
  assert.equal(parseQuery(query("a.b", 1, { flags: 0x8000 })), undefined);
  assert.equal(parseQuery(Buffer.alloc(5)), undefined);
  assert.equal(encodeError(9, "NOTIMP").readUInt16BE(2) & 0xf, 4);
});

it("encodeAnswer() writes authoritative A, SRV and CNAME records that point back at the question", () => {
  const message = query("web.shop.svc.cluster.local", 1);
  const records: DnsRecord[] = [
    { name: "web.shop.svc.cluster.local", type: "CNAME", target: "api.shop.svc.cluster.local", ttlSeconds: 5 },
    { name: "api.shop.svc.cluster.local", type: "A", address: "10.100.0.20", ttlSeconds: 5 },
    { name: "api.shop.svc.cluster.local", type: "SRV", priority: 0, weight: 100, port: 8080, target: "api.shop.svc.cluster.local", ttlSeconds: 30 },
  ];
  const reply = encodeAnswer(message, parsed(message), { code: "NOERROR", records }, 512);
  assert.equal(reply.readUInt16BE(0), 0x1234);
  assert.equal(reply.readUInt16BE(2), 0x8000 | 0x0400 | 0x0100 | 0x0080, "QR, AA, RD and RA; NOERROR");
  assert.equal(reply.readUInt16BE(6), 3);
  let offset = message.length;
  const first = readName(reply, offset);
  assert.equal(first.name, "web.shop.svc.cluster.local");
  assert.equal(first.end - offset, 2, "the owner is a pointer to the question");
  assert.equal(reply.readUInt16BE(first.end), 5);
  assert.equal(readName(reply, first.end + 10).name, "api.shop.svc.cluster.local");
  offset = first.end + 10 + reply.readUInt16BE(first.end + 8);
  const second = readName(reply, offset);
  assert.equal(reply.readUInt32BE(second.end + 4), 5, "TTL");
  assert.deepEqual([...reply.subarray(second.end + 10, second.end + 14)], [10, 100, 0, 20]);
  const third = readName(reply, second.end + 14);
  assert.deepEqual([reply.readUInt16BE(third.end), reply.readUInt16BE(third.end + 14)], [33, 8080]);
});

it("encodeAnswer() gives a negative answer the SOA of Moor's zone", () => {
  const message = query("nope.shop.svc.cluster.local", 1);
  const reply = encodeAnswer(message, parsed(message), { code: "NXDOMAIN", records: [] }, 512);
  assert.equal(reply.readUInt16BE(2) & 0xf, 3);
  assert.deepEqual([reply.readUInt16BE(6), reply.readUInt16BE(8)], [0, 1]);
  const owner = readName(reply, message.length);
  assert.equal(owner.name, "cluster.local");
  assert.equal(reply.readUInt16BE(owner.end), 6);
});

it("encodeAnswer() truncates a UDP answer past its size and keeps it whole over TCP", () => {
  const message = query("db.shop.svc.cluster.local", 1);
  const records: DnsRecord[] = Array.from({ length: 40 }, (_, index) => ({ name: "db.shop.svc.cluster.local", type: "A", address: `10.42.0.${index + 4}`, ttlSeconds: 5 }));
  const udp = encodeAnswer(message, parsed(message), { code: "NOERROR", records }, 512);
  assert.ok(udp.readUInt16BE(2) & 0x0200, "TC set");
  assert.equal(udp.readUInt16BE(6), 0);
  const tcp = encodeAnswer(message, parsed(message), { code: "NOERROR", records }, 65_535);
  assert.equal(tcp.readUInt16BE(6), 40);
  assert.equal(tcp.length, message.length + 40 * 16);
});
