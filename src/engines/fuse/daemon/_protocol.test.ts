import assert from "node:assert/strict";
import type { BigIntStats } from "node:fs";
import { describe, it } from "node:test";
import { align8, inHeaderBytes, parseRequest, readName, writeAttr, writeOutHeader } from "./_protocol.js";

describe("FUSE protocol layouts", () => {
  it("parseRequest() decodes the header and leaves extensions out of the body", () => {
    const buffer = Buffer.alloc(128);
    buffer.writeUInt32LE(inHeaderBytes + 16 + 8, 0);
    buffer.writeUInt32LE(1, 4);
    buffer.writeBigUInt64LE(42n, 8);
    buffer.writeBigUInt64LE(7n, 16);
    buffer.writeUInt32LE(1000, 24);
    buffer.writeUInt32LE(1001, 28);
    buffer.writeUInt32LE(321, 32);
    buffer.writeUInt16LE(1, 36);
    const request = parseRequest(buffer, 64);
    assert.deepEqual(
      { opcode: request.opcode, unique: request.unique, nodeid: request.nodeid, uid: request.uid, gid: request.gid, pid: request.pid },
      { opcode: 1, unique: 42n, nodeid: 7, uid: 1000, gid: 1001, pid: 321 },
    );
    assert.equal(request.body, inHeaderBytes);
    assert.equal(request.end, inHeaderBytes + 16);
  });

  it("readName() stops at the NUL and says where the next field starts", () => {
    const buffer = Buffer.from("old\0new\0", "utf8");
    const first = readName(buffer, 0, buffer.length);
    assert.deepEqual(first, { name: "old", next: 4, valid: true });
    assert.equal(readName(buffer, first.next, buffer.length).name, "new");
  });

  it("readName() flags bytes that are not UTF-8", () => {
    const buffer = Buffer.from([0x61, 0xff, 0x62, 0]);
    assert.equal(readName(buffer, 0, buffer.length).valid, false);
  });

  it("writeAttr() writes nanosecond times, including before 1970", () => {
    const stats = {
      ino: 5n,
      size: 6n,
      blocks: 8n,
      atimeNs: -1n,
      mtimeNs: 1_500_000_000_123_456_789n,
      ctimeNs: 0n,
      mode: 0o100644n,
      nlink: 1n,
      uid: 1000n,
      gid: 1000n,
      rdev: 0n,
      blksize: 4096n,
    } as unknown as BigIntStats;
    const buffer = Buffer.alloc(88);
    writeAttr(buffer, 0, stats);
    assert.equal(buffer.readBigInt64LE(24), -1n);
    assert.equal(buffer.readUInt32LE(48), 999_999_999);
    assert.equal(buffer.readBigInt64LE(32), 1_500_000_000n);
    assert.equal(buffer.readUInt32LE(52), 123_456_789);
    assert.equal(buffer.readUInt32LE(60), 0o100644);
  });

  it("writeOutHeader() carries a negative errno and align8() pads directory records", () => {
    const buffer = Buffer.alloc(16);
    writeOutHeader(buffer, 16, -2, 9n);
    assert.equal(buffer.readInt32LE(4), -2);
    assert.equal(buffer.readBigUInt64LE(8), 9n);
    assert.deepEqual([align8(24), align8(25), align8(31)], [24, 32, 32]);
  });
});
