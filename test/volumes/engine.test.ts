// The block-volume engine on real loop devices (as root): a volume is a sparse file holding an
// ext4 file system of its size, staged once through a direct-I/O loop device, grown offline
// at its next staging when the kernel refuses an online resize, and removed only when unstaged.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { BlockVolumeEngine } from "../../src/engines/blockvolumes/mod.js";

const root = mkdtempSync(join(tmpdir(), "moor-blockvolumes-"));
const engine = new BlockVolumeEngine({ root: join(root, "volumes"), stagingRoot: join(root, "staging") });
const volumeId = "vol-0123456789abcdef0";
const gib = 1024 ** 3;
after(async () => {
  await engine.unstage(volumeId).catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

const sizeKiB = (path: string) => Number(execFileSync("df", ["-k", path], { encoding: "utf8" }).trim().split("\n")[1]!.split(/\s+/)[1]);

it("makes a sparse volume, stages it once through a direct-I/O loop device, and refuses to remove it while staged", async () => {
  await engine.create(volumeId, gib);
  assert.equal(statSync(engine.fileOf(volumeId)).size, gib);
  assert.ok(statSync(engine.fileOf(volumeId)).blocks * 512 < 64 * 1024 * 1024, "the file is sparse");
  const staged = await engine.stage(volumeId);
  assert.equal(await engine.stage(volumeId), staged);
  assert.match(execFileSync("losetup", ["-j", engine.fileOf(volumeId), "-O", "DIO", "-n"], { encoding: "utf8" }).trim(), /^1$/);
  assert.ok(sizeKiB(staged) > 0.9 * 1024 * 1024 && sizeKiB(staged) <= 1024 * 1024);
  await assert.rejects(engine.remove(volumeId), /Cannot delete volume "vol-0123456789abcdef0": it is attached/);
});

it("fills up at its size with ENOSPC", () => {
  const target = join(engine.stagingPathOf(volumeId), "big");
  assert.throws(() => writeFileSync(target, Buffer.alloc(1100 * 1024 * 1024)), { code: "ENOSPC" });
  rmSync(target, { force: true });
});

it("grows its file at once and its file system online, or at its next staging", async () => {
  const outcome = await engine.expand(volumeId, 2 * gib);
  assert.equal(statSync(engine.fileOf(volumeId)).size, 2 * gib);
  if (outcome === "pending") {
    await engine.unstage(volumeId);
    await engine.stage(volumeId);
  }
  assert.ok(sizeKiB(engine.stagingPathOf(volumeId)) > 1.9 * 1024 * 1024);
  assert.equal(await engine.fileSystemBytes(volumeId), 2 * gib);
});

it("detaches its loop device when unstaged and then removes its data", async () => {
  await engine.unstage(volumeId);
  assert.equal(execFileSync("losetup", ["-j", engine.fileOf(volumeId)], { encoding: "utf8" }).trim(), "");
  await engine.remove(volumeId);
  assert.equal(engine.exists(volumeId), false);
});
