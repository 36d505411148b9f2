import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync, existsSync, openSync, ftruncateSync, closeSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createFileSystemEngine } from "./mod.js";

const root = mkdtempSync(join(tmpdir(), "moor-fs-engine-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("DataDirectories", () => {
  it("create() makes the data directory with mode 0755 and remove() takes it away at once", async () => {
    const { directories } = createFileSystemEngine({ backingRoot: root });
    await directories.create("fs-00000000000000001");
    const info = statSync(join(root, "fs-00000000000000001"));
    assert.equal(info.mode & 0o7777, 0o755);
    if (process.getuid?.() === 0) assert.deepEqual([info.uid, info.gid], [0, 0]);
    writeFileSync(join(root, "fs-00000000000000001", "data"), "x");
    await directories.create("fs-00000000000000001");
    assert.ok(existsSync(join(root, "fs-00000000000000001", "data")), "create() again keeps the data");
    await directories.remove("fs-00000000000000001");
    assert.equal(existsSync(join(root, "fs-00000000000000001")), false);
    await directories.settle();
    assert.deepEqual(readdirSync(join(root, ".trash")), []);
    await directories.remove("fs-00000000000000001");
  });

  it("dataPath() refuses anything that is not a file system id", () => {
    const { directories } = createFileSystemEngine({ backingRoot: root });
    assert.throws(() => directories.dataPath("../etc"));
    assert.throws(() => directories.dataPath("fs-1/../../x"));
  });
});

describe("SizeMeter", () => {
  it("measure() counts files rounded up to 4 KiB, directories and the root", async () => {
    const { directories, meter } = createFileSystemEngine({ backingRoot: root });
    await directories.create("fs-00000000000000002");
    const top = join(root, "fs-00000000000000002");
    mkdirSync(join(top, "sub"));
    writeFileSync(join(top, "sub", "a"), Buffer.alloc(5000));
    writeFileSync(join(top, "b"), Buffer.alloc(1));
    meter.track("fs-00000000000000002");
    // root 4 KiB + sub 4 KiB + a 8 KiB + b 4 KiB
    assert.equal(await meter.measure("fs-00000000000000002"), 4096 + 4096 + 8192 + 4096);
  });

  it("measure() counts a sparse file by what it occupies", async () => {
    const { directories, meter } = createFileSystemEngine({ backingRoot: root });
    await directories.create("fs-00000000000000003");
    const file = join(root, "fs-00000000000000003", "sparse");
    const fd = openSync(file, "w");
    ftruncateSync(fd, 1024 * 1024 * 1024);
    closeSync(fd);
    meter.track("fs-00000000000000003");
    const bytes = await meter.measure("fs-00000000000000003");
    assert.ok(bytes !== undefined && bytes < 1024 * 1024, `a 1 GiB hole meters ${bytes} bytes`);
  });

  it("reportWritten() moves the size between passes and the next pass replaces it", async () => {
    const { directories, meter } = createFileSystemEngine({ backingRoot: root });
    await directories.create("fs-00000000000000004");
    meter.track("fs-00000000000000004", 100);
    assert.equal(meter.size("fs-00000000000000004")?.bytes, 100);
    meter.reportWritten("fs-00000000000000004", 1_000_000);
    assert.equal(meter.size("fs-00000000000000004")?.bytes, 1_000_100);
    meter.reportWritten("fs-00000000000000004", -5_000_000);
    assert.equal(meter.size("fs-00000000000000004")?.bytes, 0, "never below zero");
    assert.equal(await meter.measure("fs-00000000000000004"), 4096);
    meter.untrack("fs-00000000000000004");
    meter.reportWritten("fs-00000000000000004", 10);
    assert.equal(meter.size("fs-00000000000000004"), undefined);
  });
});
