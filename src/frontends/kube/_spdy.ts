// SPDY/3.1 framing, as much of it as `kubectl port-forward` uses: control and data frames read
// from a byte stream (kubectl 1.32 tunnels it in WebSocket binary messages), header blocks
// read through one zlib context per direction with SPDY's preset dictionary, and header blocks
// written as stored (uncompressed) deflate blocks, which every zlib reader accepts and which
// need no dictionary. Flow control (WINDOW_UPDATE, SETTINGS) is not needed by kubectl's peer
// (moby/spdystream) and is read and ignored.

import { constants, createInflate, type Inflate } from "node:zlib";

export const controlType = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goAway: 7, headers: 8, windowUpdate: 9 } as const;
export const flagFin = 0x01;
/** A data frame's payload at most; kubectl's peer accepts up to 16 MB, smaller frames keep latency low. */
export const dataFrameBytesMax = 32 * 1024;
/** A frame larger than this ends the session: nothing kubectl sends comes near it. */
const frameBytesMax = 16 * 1024 * 1024;

export type SpdyFrame =
  | { kind: "data"; streamId: number; flags: number; data: Buffer }
  | { kind: "control"; type: number; flags: number; payload: Buffer };

/** The SPDY/3 header dictionary (draft 3, 2.6.10.1): length-prefixed names, then common values. */
export const spdyDictionary: Buffer = (() => {
  const names =
    "options head post put delete trace accept accept-charset accept-encoding accept-language accept-ranges age allow " +
    "authorization cache-control connection content-base content-encoding content-language content-length " +
    "content-location content-md5 content-range content-type date etag expect expires from host if-match " +
    "if-modified-since if-none-match if-range if-unmodified-since last-modified location max-forwards pragma " +
    "proxy-authenticate proxy-authorization range referer retry-after server te trailer transfer-encoding upgrade " +
    "user-agent vary via warning www-authenticate method get status 200_OK version HTTP/1.1 url public set-cookie " +
    "keep-alive origin";
  const values =
    "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505" +
    "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized" +
    "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable" +
    "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT" +
    "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain," +
    "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";
  const parts = names.split(" ").map((name) => {
    const text = Buffer.from(name.replace("_", " "));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(text.length);
    return Buffer.concat([length, text]);
  });
  return Buffer.concat([...parts, Buffer.from(values)]);
})();

/** Cuts a byte stream into frames; returns the complete ones, keeps the rest. */
export class SpdyReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: SpdyFrame[] = [];
    while (this.pending.length >= 8) {
      const length = this.pending.readUInt32BE(4) & 0xffffff;
      if (length > frameBytesMax) throw new Error(`SPDY frame of ${length} bytes is over the limit`);
      if (this.pending.length < 8 + length) break;
      const flags = this.pending[4]!;
      const body = this.pending.subarray(8, 8 + length);
      if (this.pending[0]! & 0x80) frames.push({ kind: "control", type: this.pending.readUInt16BE(2), flags, payload: body });
      else frames.push({ kind: "data", streamId: this.pending.readUInt32BE(0) & 0x7fffffff, flags, data: body });
      this.pending = this.pending.subarray(8 + length);
    }
    return frames;
  }
}

function frameHeader(first: number, flags: number, length: number): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(first >>> 0, 0);
  header.writeUInt32BE(((flags & 0xff) << 24 | length) >>> 0, 4);
  return header;
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([frameHeader((0x8000 | 3) << 16 | type, flags, payload.length), payload]);
}

export function dataFrame(streamId: number, data: Buffer, fin = false): Buffer {
  return Buffer.concat([frameHeader(streamId & 0x7fffffff, fin ? flagFin : 0, data.length), data]);
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
}

/** A header block as SPDY/3 lays it out before compression. */
function rawHeaderBlock(headers: Record<string, string>): Buffer {
  const parts = [uint32(Object.keys(headers).length)];
  for (const [name, value] of Object.entries(headers)) {
    parts.push(uint32(Buffer.byteLength(name)), Buffer.from(name), uint32(Buffer.byteLength(value)), Buffer.from(value));
  }
  return Buffer.concat(parts);
}

const syncFlushMarker = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/** Writes header blocks on one zlib stream of stored blocks: no compression, no dictionary needed. */
export class HeaderWriter {
  private started = false;

  encode(headers: Record<string, string>): Buffer {
    const raw = rawHeaderBlock(headers);
    const length = Buffer.alloc(4);
    length.writeUInt16LE(raw.length, 0);
    length.writeUInt16LE(~raw.length & 0xffff, 2);
    // A zlib header without a preset dictionary (0x78 0x01) once, then a non-final stored block
    // and an empty one: the sync-flush marker after which a reader hands out what it holds.
    const prefix = this.started ? Buffer.from([0x00]) : Buffer.from([0x78, 0x01, 0x00]);
    this.started = true;
    return Buffer.concat([prefix, length, raw, syncFlushMarker]);
  }
}

/** Reads the peer's header blocks: one inflate context for the whole session, in order. */
export class HeaderReader {
  private readonly inflate: Inflate = createInflate({ dictionary: spdyDictionary });
  private output: Buffer[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor() {
    this.inflate.on("data", (chunk: Buffer) => this.output.push(chunk));
    this.inflate.on("error", () => {});
  }

  decode(block: Buffer): Promise<Record<string, string>> {
    const next = this.queue.then(
      () =>
        new Promise<Record<string, string>>((resolve, reject) => {
          this.inflate.write(block);
          this.inflate.flush(constants.Z_SYNC_FLUSH, () => {
            const raw = Buffer.concat(this.output);
            this.output = [];
            try {
              resolve(parseHeaderBlock(raw));
            } catch (error) {
              reject(error);
            }
          });
        }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.inflate.destroy();
  }
}

/** Header names are lower case in SPDY/3; several values of one name are joined by NUL. */
export function parseHeaderBlock(raw: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  let offset = 4;
  const count = raw.readUInt32BE(0);
  for (let index = 0; index < count; index++) {
    const nameLength = raw.readUInt32BE(offset);
    const name = raw.toString("utf8", offset + 4, offset + 4 + nameLength);
    offset += 4 + nameLength;
    const valueLength = raw.readUInt32BE(offset);
    headers[name.toLowerCase()] = raw.toString("utf8", offset + 4, offset + 4 + valueLength).split("\0")[0]!;
    offset += 4 + valueLength;
  }
  return headers;
}
