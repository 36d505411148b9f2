// The part of the DNS wire format (RFC 1035) cluster DNS needs: read a standard query of one
// question, write an authoritative answer of A, CNAME, PTR and SRV records, with an SOA in the
// authority section of negative answers (so resolvers cache them, RFC 2308). Names in answers
// equal to the question's point back at it; others are written whole. A UDP answer larger than
// 512 bytes is sent truncated (TC) and the client asks again over TCP. EDNS is not spoken: the
// OPT record of a query is ignored, which RFC 6891 allows.

import type { DnsRecord, ZoneAnswer } from "../../domain/dns/mod.js";
import { normalizeName } from "../../domain/dns/mod.js";

export interface Query {
  id: number;
  recursionDesired: boolean;
  /** As asked (case kept), without the final dot. */
  name: string;
  type: number;
  /** Where the question ends in the message: the answer copies the question bytes as asked. */
  questionEnd: number;
}

export const responseCodes = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export type ResponseCodeName = keyof typeof responseCodes;

/** The largest UDP answer without EDNS. */
export const udpAnswerBytesMax = 512;
const headerBytes = 12;
const classInternet = 1;
const labelsMax = 128;
const typeCodes: Record<DnsRecord["type"], number> = { A: 1, CNAME: 5, PTR: 12, SRV: 33 };
const typeSoa = 6;
const negativeTtlSeconds = 5;
/** Apexes Moor answers for; other names get the root's SOA. */
const apexes = ["cluster.local", "in-addr.arpa", "amazonaws.com"];

export type ParsedQuery = { query: Query } | { error: ResponseCodeName; id: number } | undefined;

/** A query, an error to answer with (the message is a query Moor cannot serve), or nothing (not worth an answer). */
export function parseQuery(message: Buffer): ParsedQuery {
  if (message.length < headerBytes) return undefined;
  const id = message.readUInt16BE(0);
  const flags = message.readUInt16BE(2);
  if (flags & 0x8000) return undefined; // a response: never answer one
  if (((flags >> 11) & 0xf) !== 0) return { error: "NOTIMP", id };
  if (message.readUInt16BE(4) !== 1) return { error: "FORMERR", id };
  const labels: string[] = [];
  let offset = headerBytes;
  for (;;) {
    if (offset >= message.length || labels.length > labelsMax) return { error: "FORMERR", id };
    const length = message[offset]!;
    if (length === 0) break;
    if (length > 63 || offset + 1 + length > message.length) return { error: "FORMERR", id };
    labels.push(message.toString("latin1", offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  offset += 1;
  if (offset + 4 > message.length) return { error: "FORMERR", id };
  const type = message.readUInt16BE(offset);
  const questionClass = message.readUInt16BE(offset + 2);
  if (questionClass !== classInternet && questionClass !== 255) return { error: "REFUSED", id };
  return { query: { id, recursionDesired: (flags & 0x0100) !== 0, name: labels.join("."), type, questionEnd: offset + 4 } };
}

/** An answer with no records, only a code (FORMERR, NOTIMP, REFUSED, SERVFAIL). */
export function encodeError(id: number, code: ResponseCodeName): Buffer {
  const header = Buffer.alloc(headerBytes);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x8000 | responseCodes[code], 2);
  return header;
}

export function encodeAnswer(message: Buffer, query: Query, answer: ZoneAnswer, bytesMax: number): Buffer {
  const question = message.subarray(headerBytes, query.questionEnd);
  const asked = normalizeName(query.name);
  const parts: Buffer[] = answer.records.map((record) => encodeRecord(record, asked));
  const negative = answer.records.length === 0;
  const authority = negative ? [encodeSoa(asked)] : [];
  const header = Buffer.alloc(headerBytes);
  header.writeUInt16BE(query.id, 0);
  let flags = 0x8000 | 0x0400 | 0x0080 | (query.recursionDesired ? 0x0100 : 0) | responseCodes[answer.code];
  header.writeUInt16BE(1, 4);
  let size = headerBytes + question.length;
  for (const part of [...parts, ...authority]) size += part.length;
  if (size > bytesMax) {
    flags |= 0x0200;
    header.writeUInt16BE(flags, 2);
    return Buffer.concat([header, question]);
  }
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(parts.length, 6);
  header.writeUInt16BE(authority.length, 8);
  return Buffer.concat([header, question, ...parts, ...authority], size);
}

function encodeRecord(record: DnsRecord, asked: string): Buffer {
  const owner = normalizeName(record.name) === asked ? Buffer.from([0xc0, headerBytes]) : encodeName(record.name);
  let data: Buffer;
  if (record.type === "A") data = Buffer.from(record.address.split(".").map(Number));
  else if (record.type === "SRV") {
    const fixed = Buffer.alloc(6);
    fixed.writeUInt16BE(record.priority, 0);
    fixed.writeUInt16BE(record.weight, 2);
    fixed.writeUInt16BE(record.port, 4);
    data = Buffer.concat([fixed, encodeName(record.target)]);
  } else data = encodeName(record.target);
  return Buffer.concat([owner, fixedPart(typeCodes[record.type], record.ttlSeconds, data.length), data]);
}

function fixedPart(type: number, ttlSeconds: number, dataLength: number): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(classInternet, 2);
  fixed.writeUInt32BE(ttlSeconds, 4);
  fixed.writeUInt16BE(dataLength, 8);
  return fixed;
}

function encodeSoa(asked: string): Buffer {
  const apex = apexes.find((item) => asked === item || asked.endsWith(`.${item}`)) ?? "";
  const numbers = Buffer.alloc(20);
  // serial, refresh, retry, expire, minimum (the negative-caching TTL)
  [1, 7200, 1800, 86400, negativeTtlSeconds].forEach((value, index) => numbers.writeUInt32BE(value, index * 4));
  const data = Buffer.concat([encodeName(apex ? `ns.dns.${apex}` : "ns.dns.moor"), encodeName(apex ? `hostmaster.${apex}` : "hostmaster.moor"), numbers]);
  return Buffer.concat([encodeName(apex), fixedPart(typeSoa, negativeTtlSeconds, data.length), data]);
}

/** A name as length-prefixed labels; "" is the root. */
export function encodeName(name: string): Buffer {
  const labels = normalizeName(name).split(".").filter((label) => label.length > 0);
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, "latin1");
    parts.push(Buffer.from([Math.min(bytes.length, 63)]), bytes.subarray(0, 63));
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}
