// Safe resolution on the backing store (issue 16 finding 1): links planted in a file system never
// lead an operation out of it, with the native shim (openat2) and with the descriptor walk.

import assert from "node:assert/strict";
import { closeSync, constants, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openBeneath, openPathFlag, walkBeneath } from "./_beneath.js";
import { createFileSystemEngine, removeDirectoryInFileSystem, removeEntry, withDirectory } from "./mod.js";

const work = mkdtempSync(join(tmpdir(), "moor-beneath-"));
after(() => rmSync(work, { recursive: true, force: true }));
let serial = 0;

/** A backing root with one file system holding `inside/`, and a host directory outside it with a file. */
function plant(): { backingRoot: string; fsId: string; fsRoot: string; host: string } {
  serial += 1;
  const backingRoot = join(work, `backing-${serial}`);
  const fsId = `fs-${String(serial).padStart(8, "0")}`;
  const fsRoot = join(backingRoot, fsId);
  const host = join(work, `host-${serial}`);
  mkdirSync(join(fsRoot, "inside/deeper"), { recursive: true });
  mkdirSync(host);
  writeFileSync(join(host, "precious"), "p");
  symlinkSync(host, join(fsRoot, "esc"));
  symlinkSync(`../../host-${serial}`, join(fsRoot, "relative"));
  symlinkSync("inside", join(fsRoot, "sideways"));
  return { backingRoot, fsId, fsRoot, host };
}

function codeOf(action: () => unknown): string | undefined {
  try {
    closeSync(action() as number);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

const directoryFlags = openPathFlag | constants.O_DIRECTORY;
const resolvers = {
  "openBeneath()": (root: number, path: string, flags: number) => openBeneath(root, path, flags),
  "the descriptor walk": (root: number, path: string, flags: number) => walkBeneath(root, path.split("/").filter(Boolean), flags),
};

for (const [name, resolve] of Object.entries(resolvers)) {
  describe(`${name} beneath a file system's root`, () => {
    it("opens directories inside and the root itself", async () => {
      const { fsRoot } = plant();
      await withDirectory(fsRoot, (root) => {
        const fd = resolve(root, "inside/deeper", directoryFlags);
        assert.ok(fstatSync(fd).isDirectory());
        closeSync(fd);
        assert.equal(codeOf(() => resolve(root, "", directoryFlags)), undefined);
      });
    });

    it("refuses a link anywhere on the path, whether it leads out or stays inside", async () => {
      const { fsRoot } = plant();
      await withDirectory(fsRoot, (root) => {
        for (const path of ["esc", "esc/x", "relative/precious", "sideways/deeper"]) {
          assert.ok(["ELOOP", "ENOTDIR"].includes(codeOf(() => resolve(root, path, constants.O_RDONLY | constants.O_DIRECTORY)) ?? ""), path);
        }
        assert.ok(["ELOOP", "ENOTDIR"].includes(codeOf(() => resolve(root, "esc/precious", constants.O_RDONLY)) ?? ""));
      });
    });
  });
}

describe("openBeneath()", () => {
  it("refuses \"..\" with EXDEV", async () => {
    const { fsRoot } = plant();
    await withDirectory(fsRoot, (root) => assert.equal(codeOf(() => openBeneath(root, "inside/../../x", directoryFlags)), "EXDEV"));
  });
});

describe("removing trees on the backing store", () => {
  it("removeEntry() removes links it meets, never what they lead to", async () => {
    const { fsRoot, host } = plant();
    symlinkSync(host, join(fsRoot, "inside/deeper/link"));
    await withDirectory(fsRoot, (root) => removeEntry(root, "inside"));
    assert.equal(existsSync(join(fsRoot, "inside")), false);
    assert.deepEqual(readdirSync(host), ["precious"]);
  });

  it("removeDirectoryInFileSystem() refuses a path through a planted link and touches nothing outside", async () => {
    const { backingRoot, fsId, host } = plant();
    mkdirSync(join(host, "x"));
    await assert.rejects(removeDirectoryInFileSystem(backingRoot, fsId, "/esc/x"), { category: "Forbidden", message: /Cannot delete directory "\/esc\/x" of file system "fs-\d+": it leads through a symbolic link/ });
    await assert.rejects(removeDirectoryInFileSystem(backingRoot, fsId, "/relative/x"), { category: "Forbidden" });
    assert.deepEqual(readdirSync(host).sort(), ["precious", "x"]);
    await assert.rejects(removeDirectoryInFileSystem(backingRoot, fsId, "/"), { category: "Invalid" });
    await removeDirectoryInFileSystem(backingRoot, fsId, "/absent/x");
    await removeDirectoryInFileSystem(backingRoot, fsId, "/inside");
    assert.equal(existsSync(join(backingRoot, fsId, "inside")), false);
  });

  it("removeDirectoryInFileSystem() removes a final link itself, not its target's contents", async () => {
    const { backingRoot, fsId, fsRoot, host } = plant();
    await removeDirectoryInFileSystem(backingRoot, fsId, "/esc");
    assert.equal(existsSync(join(fsRoot, "esc")), false);
    assert.deepEqual(readdirSync(host), ["precious"]);
  });

  it("deleting a file system removes its tree with links in it and nothing outside", async () => {
    const { backingRoot, fsId, host } = plant();
    const { directories } = createFileSystemEngine({ backingRoot });
    await directories.remove(fsId);
    await directories.settle();
    assert.deepEqual(readdirSync(join(backingRoot, ".trash")), []);
    assert.deepEqual(readdirSync(host), ["precious"]);
  });
});

describe("metering with planted links", () => {
  it("counts a link to a host directory as a link and never walks into it", async () => {
    const { backingRoot, fsId, host } = plant();
    writeFileSync(join(host, "big"), Buffer.alloc(4 * 1024 * 1024, 1));
    const { meter } = createFileSystemEngine({ backingRoot });
    meter.track(fsId);
    // root, inside, deeper: 4 KiB each; esc, relative, sideways: links, 4 KiB each.
    assert.equal(await meter.measure(fsId), 6 * 4096);
  });
});
