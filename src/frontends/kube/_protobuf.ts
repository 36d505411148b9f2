// Decodes `application/vnd.kubernetes.protobuf` bodies (what kubectl's typed clients send for
// `kubectl create namespace|configmap|secret|deployment|job|service ...`) into the JSON form the
// rest of the API works on. The envelope is "k8s\0" + runtime.Unknown{typeMeta, raw}; raw is the
// object's own message, read with the field numbers in _protobuf-types.ts.

import { badRequest, HttpError } from "./_status.js";
import { protobufTypes } from "./_protobuf-types.js";

interface FieldSpec {
  name: string;
  type: string;
  repeated: boolean;
  map: boolean;
  keepZero: boolean;
  inline: boolean;
}

const messages = new Map<string, Map<number, FieldSpec>>();
for (const [name, spec] of Object.entries(protobufTypes)) {
  const fields = new Map<number, FieldSpec>();
  for (const token of spec.split(/\s+/).filter(Boolean)) {
    const [number, rawName, rawType] = token.split(":") as [string, string, string];
    let type = rawType;
    const keepZero = type.endsWith("!");
    if (keepZero) type = type.slice(0, -1);
    const repeated = type.startsWith("[");
    const map = type.startsWith("{");
    if (repeated || map) type = type.slice(1, -1);
    const inline = rawName.startsWith("^");
    fields.set(Number(number), { name: inline ? rawName.slice(1) : rawName, type, repeated, map, keepZero, inline });
  }
  messages.set(name, fields);
}

class Reader {
  position: number;
  constructor(
    readonly buffer: Buffer,
    start = 0,
    readonly end = buffer.length,
  ) {
    this.position = start;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.position >= this.end) throw malformed();
      const byte = this.buffer[this.position++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw malformed();
    }
  }
  bytes(): Buffer {
    const length = Number(this.varint());
    if (length < 0 || this.position + length > this.end) throw malformed();
    const slice = this.buffer.subarray(this.position, this.position + length);
    this.position += length;
    return slice;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.position += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.position += 4;
    else throw malformed();
  }
}

const malformed = () => badRequest("the protobuf body of the request is malformed");

function signed(value: bigint): number {
  return Number(value >= 1n << 63n ? value - (1n << 64n) : value);
}

function decodeMessage(buffer: Buffer, type: string): Record<string, unknown> {
  const fields = messages.get(type);
  if (!fields) throw new HttpError(415, "UnsupportedMediaType", `the protobuf form of ${type} is not supported: send application/json`);
  const reader = new Reader(buffer);
  const result: Record<string, unknown> = {};
  while (reader.position < reader.end) {
    const key = Number(reader.varint());
    const field = fields.get(key >>> 3);
    const wire = key & 7;
    if (!field) {
      reader.skip(wire);
      continue;
    }
    if (field.map) {
      const entry = new Reader(reader.bytes());
      let mapKey = "";
      let mapValue: unknown;
      while (entry.position < entry.end) {
        const entryKey = Number(entry.varint());
        if (entryKey >>> 3 === 1) mapKey = entry.bytes().toString("utf8");
        else if (entryKey >>> 3 === 2) mapValue = decodeValue(entry, field.type, entryKey & 7);
        else entry.skip(entryKey & 7);
      }
      const map = (result[field.name] ??= {}) as Record<string, unknown>;
      map[mapKey] = mapValue ?? (field.type === "s" || field.type === "y" ? "" : {});
      continue;
    }
    const value = decodeValue(reader, field.type, wire);
    if (field.repeated) ((result[field.name] ??= []) as unknown[]).push(value);
    else if (field.inline && value && typeof value === "object") Object.assign(result, value);
    else if (field.keepZero || !isZero(value)) result[field.name] = value;
  }
  return result;
}

function isZero(value: unknown): boolean {
  return value === "" || value === 0 || value === false || value === undefined;
}

function decodeValue(reader: Reader, type: string, wire: number): unknown {
  switch (type) {
    case "s":
      return reader.bytes().toString("utf8");
    case "y":
      return reader.bytes().toString("base64");
    case "i":
      return signed(reader.varint());
    case "b":
      return reader.varint() !== 0n;
    case "q":
      return String(decodeQuantity(reader.bytes()));
    case "o": {
      const message = new Reader(reader.bytes());
      let kind = 0;
      let int = 0;
      let text = "";
      while (message.position < message.end) {
        const key = Number(message.varint());
        if (key >>> 3 === 1) kind = Number(message.varint());
        else if (key >>> 3 === 2) int = signed(message.varint());
        else if (key >>> 3 === 3) text = message.bytes().toString("utf8");
        else message.skip(key & 7);
      }
      return kind === 1 ? text : int;
    }
    case "t": {
      const message = new Reader(reader.bytes());
      let seconds = 0;
      while (message.position < message.end) {
        const key = Number(message.varint());
        if (key >>> 3 === 1) seconds = signed(message.varint());
        else message.skip(key & 7);
      }
      return seconds === 0 ? undefined : new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    }
    default:
      if (wire !== 2) throw malformed();
      return decodeMessage(reader.bytes(), type);
  }
}

function decodeQuantity(buffer: Buffer): string {
  const reader = new Reader(buffer);
  let text = "";
  while (reader.position < reader.end) {
    const key = Number(reader.varint());
    if (key >>> 3 === 1) text = reader.bytes().toString("utf8");
    else reader.skip(key & 7);
  }
  return text;
}

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** The object a protobuf body carries, as JSON (apiVersion and kind from its envelope). */
export function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(magic)) throw malformed();
  const envelope = new Reader(body, 4);
  let apiVersion = "";
  let kind = "";
  let raw: Buffer | undefined;
  while (envelope.position < envelope.end) {
    const key = Number(envelope.varint());
    const number = key >>> 3;
    if (number === 1) {
      const typeMeta = new Reader(envelope.bytes());
      while (typeMeta.position < typeMeta.end) {
        const inner = Number(typeMeta.varint());
        if (inner >>> 3 === 1) apiVersion = typeMeta.bytes().toString("utf8");
        else if (inner >>> 3 === 2) kind = typeMeta.bytes().toString("utf8");
        else typeMeta.skip(inner & 7);
      }
    } else if (number === 2) raw = envelope.bytes();
    else envelope.skip(key & 7);
  }
  if (!raw || !kind) throw malformed();
  return { apiVersion, kind, ...decodeMessage(raw, kind) };
}
