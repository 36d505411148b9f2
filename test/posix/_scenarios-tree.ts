// Scenarios on the namespace: rename, link, symlink, unlink, rmdir, mkdir, mknod and FIFOs, and
// a directory of 10,000 entries.

import {
  closeSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { attempt, python, summary, tool, type Scenario } from "./_tools.js";

const manyEntries = 10_000;

export const treeScenarios: Record<string, Scenario> = {
  "rename files and directories": ({ a }) => {
    writeFileSync(join(a, "one"), "1");
    writeFileSync(join(a, "two"), "2");
    mkdirSync(join(a, "sub"));
    mkdirSync(join(a, "other"));
    mkdirSync(join(a, "full"));
    writeFileSync(join(a, "full/x"), "x");
    mkdirSync(join(a, "empty"));
    const outcomes = {
      simple: attempt(() => renameSync(join(a, "one"), join(a, "uno"))) ?? "ok",
      overExisting: attempt(() => renameSync(join(a, "uno"), join(a, "two"))) ?? "ok",
      acrossDirectories: attempt(() => renameSync(join(a, "two"), join(a, "sub/two"))) ?? "ok",
      directoryToOtherParent: attempt(() => renameSync(join(a, "sub"), join(a, "other/sub"))) ?? "ok",
      directoryOverEmpty: attempt(() => renameSync(join(a, "other"), join(a, "empty"))) ?? "ok",
      directoryOverNonEmpty: attempt(() => renameSync(join(a, "empty"), join(a, "full"))),
      fileOverDirectory: attempt(() => { writeFileSync(join(a, "f"), "f"); renameSync(join(a, "f"), join(a, "full")); }),
      directoryIntoItself: attempt(() => renameSync(join(a, "full"), join(a, "full/inside"))),
      missing: attempt(() => renameSync(join(a, "nothing"), join(a, "something"))),
    };
    return { outcomes, content: readFileSync(join(a, "empty/sub/two"), "utf8"), listing: readdirSync(a).sort() };
  },

  "hard links share an inode": ({ a, fixtures }) => {
    writeFileSync(join(a, "orig"), "data");
    linkSync(join(a, "orig"), join(a, "alias"));
    const sameInode = statSync(join(a, "orig")).ino === statSync(join(a, "alias")).ino;
    const linked = summary(join(a, "alias"));
    unlinkSync(join(a, "orig"));
    mkdirSync(join(a, "dir"));
    return {
      sameInode,
      linked,
      afterUnlink: summary(join(a, "alias")),
      content: readFileSync(join(a, "alias"), "utf8"),
      directory: attempt(() => linkSync(join(a, "dir"), join(a, "dirlink"))),
      existing: attempt(() => linkSync(join(a, "alias"), join(a, "dir"))),
      protectedHardlink: attempt(() => linkSync(join(fixtures, "root-file"), join(a, "stolen"))),
    };
  },

  "symlinks are stored and read back as given": ({ a }) => {
    writeFileSync(join(a, "target"), "t");
    symlinkSync("target", join(a, "relative"));
    symlinkSync("/absolute/elsewhere", join(a, "absolute"));
    symlinkSync("missing", join(a, "dangling"));
    return {
      relative: readlinkSync(join(a, "relative")),
      absolute: readlinkSync(join(a, "absolute")),
      followed: readFileSync(join(a, "relative"), "utf8"),
      link: summary(join(a, "relative")),
      dangling: attempt(() => statSync(join(a, "dangling")).size),
      readlinkOfFile: attempt(() => readlinkSync(join(a, "target"))),
      exists: attempt(() => symlinkSync("x", join(a, "target"))),
    };
  },

  "unlink and rmdir": ({ a }) => {
    writeFileSync(join(a, "f"), "f");
    mkdirSync(join(a, "d"));
    mkdirSync(join(a, "full"));
    writeFileSync(join(a, "full/x"), "x");
    return {
      unlinkFile: attempt(() => unlinkSync(join(a, "f"))) ?? "ok",
      unlinkAgain: attempt(() => unlinkSync(join(a, "f"))),
      unlinkDirectory: attempt(() => unlinkSync(join(a, "d"))),
      rmdirNonEmpty: attempt(() => rmdirSync(join(a, "full"))),
      rmdirFile: attempt(() => rmdirSync(join(a, "full/x"))),
      rmdirEmpty: attempt(() => rmdirSync(join(a, "d"))) ?? "ok",
      listing: readdirSync(a).sort(),
    };
  },

  "mkdir modes, nesting and link counts": ({ a }) => {
    mkdirSync(join(a, "m"), { mode: 0o750 });
    mkdirSync(join(a, "m/one"));
    mkdirSync(join(a, "m/two"));
    mkdirSync(join(a, "deep/er/est"), { recursive: true });
    return {
      m: summary(join(a, "m")),
      existing: attempt(() => mkdirSync(join(a, "m"))),
      missingParent: attempt(() => mkdirSync(join(a, "none/child"))),
      nested: summary(join(a, "deep/er/est")),
    };
  },

  "mknod makes FIFOs but no devices": ({ a }) => {
    const fifo = join(a, "fifo");
    const made = tool("mkfifo", ["-m", "0640", fifo]);
    const device = tool("mknod", [join(a, "null"), "c", "1", "3"]);
    const roundTrip = python(
      `import os, sys, json
p = sys.argv[1]
r = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
w = os.open(p, os.O_WRONLY)
os.write(w, b"through the pipe")
print(json.dumps(os.read(r, 100).decode()))`,
      fifo,
    );
    return { made: made.status, fifo: summary(fifo), device: { status: device.status, stderr: device.stderr }, roundTrip };
  },

  "a directory of 10,000 entries lists completely": ({ a }) => {
    const directory = join(a, "many");
    mkdirSync(directory);
    for (let index = 0; index < manyEntries; index += 1) {
      closeSync(openSync(join(directory, `f${String(index).padStart(5, "0")}`), "w"));
    }
    const names = readdirSync(directory);
    const sorted = [...names].sort();
    const listed = tool("ls", ["-f", directory]).stdout.split("\n");
    return {
      count: names.length,
      unique: new Set(names).size,
      first: sorted[0],
      last: sorted[sorted.length - 1],
      withDots: listed.length,
      hasDots: listed.includes(".") && listed.includes(".."),
      lastIsFile: lstatSync(join(directory, sorted[sorted.length - 1])).isFile(),
    };
  },
};
