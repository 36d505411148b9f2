import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { it } from "node:test";
import { constants, createDeflate, inflateSync } from "node:zlib";
import { controlFrame, controlType, dataFrame, HeaderReader, HeaderWriter, parseHeaderBlock, SpdyReader, spdyDictionary } from "./_spdy.js";

function rawBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const u32 = (value: number) => {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(value);
    return buffer;
  };
  parts.push(u32(Object.keys(headers).length));
  for (const [name, value] of Object.entries(headers)) parts.push(u32(name.length), Buffer.from(name), u32(value.length), Buffer.from(value));
  return Buffer.concat(parts);
}

/** What a Go SPDY client sends: one deflate stream with the dictionary, sync-flushed per block. */
async function compressLikeAPeer(blocks: Buffer[]): Promise<Buffer[]> {
  const deflate = createDeflate({ dictionary: spdyDictionary });
  const out: Buffer[] = [];
  for (const block of blocks) {
    const chunks: Buffer[] = [];
    const collect = (chunk: Buffer) => chunks.push(chunk);
    deflate.on("data", collect);
    deflate.write(block);
    await new Promise<void>((resolve) => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
    deflate.off("data", collect);
    out.push(Buffer.concat(chunks));
  }
  deflate.destroy();
  return out;
}

it("the SPDY dictionary is draft 3's 1423 bytes", () => {
  assert.equal(spdyDictionary.length, 1423);
  assert.equal(createHash("sha256").update(spdyDictionary).digest("hex"), "51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02");
});

it("HeaderReader decodes successive header blocks of one compressed stream", async () => {
  const blocks = await compressLikeAPeer([rawBlock({ streamtype: "error", port: "8080", requestid: "0" }), rawBlock({ streamtype: "data", port: "8080", requestid: "0" })]);
  const reader = new HeaderReader();
  assert.deepEqual(await reader.decode(blocks[0]!), { streamtype: "error", port: "8080", requestid: "0" });
  assert.deepEqual(await reader.decode(blocks[1]!), { streamtype: "data", port: "8080", requestid: "0" });
  reader.close();
});

it("HeaderWriter writes blocks any zlib reader inflates, one stream across blocks", () => {
  const writer = new HeaderWriter();
  const stream = Buffer.concat([writer.encode({}), writer.encode({ a: "b" })]);
  const raw = inflateSync(stream, { finishFlush: constants.Z_SYNC_FLUSH });
  assert.deepEqual(parseHeaderBlock(raw.subarray(0, 4)), {});
  assert.deepEqual(parseHeaderBlock(raw.subarray(4)), { a: "b" });
});

it("SpdyReader cuts frames split across messages and several in one", () => {
  const bytes = Buffer.concat([controlFrame(controlType.ping, 0, Buffer.from([0, 0, 0, 1])), dataFrame(3, Buffer.from("hello"), true)]);
  const reader = new SpdyReader();
  assert.deepEqual(reader.push(bytes.subarray(0, 5)), []);
  const frames = reader.push(bytes.subarray(5));
  assert.equal(frames.length, 2);
  assert.deepEqual(frames[0], { kind: "control", type: controlType.ping, flags: 0, payload: Buffer.from([0, 0, 0, 1]) });
  assert.deepEqual(frames[1], { kind: "data", streamId: 3, flags: 1, data: Buffer.from("hello") });
});
