import assert from "node:assert/strict";
import { closeSync, constants, lstatSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Errno, errnoOf } from "./_errors.js";
import { openPathFlag } from "./_inodes.js";
import { nativeShim } from "./_native.js";
import { Stater, type FileStats } from "./_stat.js";

const fields: (keyof FileStats)[] = ["dev", "ino", "mode", "nlink", "uid", "gid", "rdev", "size", "blksize", "blocks", "atimeNs", "mtimeNs", "ctimeNs"];

function pick(stats: FileStats): Record<string, bigint> {
  return Object.fromEntries(fields.map((field) => [field, stats[field]]));
}

describe("Stater: stats of backing files", () => {
  let root = "";
  let directoryFd = -1;

  before(() => {
    root = mkdtempSync(join(tmpdir(), "moor-stat-"));
    writeFileSync(join(root, "file"), "twelve bytes");
    utimesSync(join(root, "file"), new Date("1969-07-20T20:17:40.5Z"), new Date("2030-01-02T03:04:05.25Z"));
    mkdirSync(join(root, "directory"));
    symlinkSync("/etc/passwd", join(root, "link"));
    directoryFd = openSync(root, openPathFlag | constants.O_DIRECTORY);
  });

  after(() => {
    closeSync(directoryFd);
    rmSync(root, { recursive: true, force: true });
  });

  for (const [label, shim] of [
    ["through the native shim", nativeShim()],
    ["through Node (no shim)", null],
  ] as const) {
    describe(label, () => {
      const stater = new Stater(shim);

      it("at() gives what Node's bigint lstat gives, for a file, a directory and a symlink (not followed)", (context) => {
        if (label.startsWith("through the native") && !shim) return context.skip("the native shim is not built");
        for (const name of ["file", "directory", "link"]) {
          const stats = stater.at(directoryFd, name);
          assert.ok(stats, name);
          assert.deepEqual(pick(stats), pick(lstatSync(join(root, name), { bigint: true })), name);
        }
      });

      it("at() answers undefined for a missing name and fd() stats a descriptor", (context) => {
        if (label.startsWith("through the native") && !shim) return context.skip("the native shim is not built");
        assert.equal(stater.at(directoryFd, "missing"), undefined);
        const fd = openSync(join(root, "file"), "r");
        try {
          assert.deepEqual(pick(stater.fd(fd)), pick(lstatSync(join(root, "file"), { bigint: true })));
        } finally {
          closeSync(fd);
        }
      });

      it("at() throws the errno for other failures", (context) => {
        if (label.startsWith("through the native") && !shim) return context.skip("the native shim is not built");
        const fileFd = openSync(join(root, "file"), "r");
        try {
          assert.throws(() => stater.at(fileFd, "inside"), (error: unknown) => errnoOf(error) === Errno.ENOTDIR);
        } finally {
          closeSync(fileFd);
        }
      });
    });
  }
});
