// Scenarios on name and path limits (issue 16): every call that takes a name accepts one of
// NAME_MAX (255) bytes and refuses one byte more with ENAMETOOLONG; a path of PATH_MAX - 1
// (4095) bytes works and one of 4096 bytes is ENAMETOOLONG. Paths are measured relative to the
// scenario's directory (Python changes into it), so every target sees the same lengths.

import { linkSync, lstatSync, mkdirSync, readlinkSync, renameSync, rmdirSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { attempt, python, type Scenario } from "./_tools.js";

const nameMaxBytes = 255;

/** Each call on a name `length` bytes long, one letter per call so that names never collide. */
function namesOfLength(a: string, length: number): Record<string, unknown> {
  const name = (letter: string) => join(a, letter.repeat(length));
  writeFileSync(join(a, `source-${length}`), "s");
  writeFileSync(join(a, `original-${length}`), "o");
  return {
    mkdir: attempt(() => mkdirSync(name("m"))) ?? "ok",
    rmdir: attempt(() => rmdirSync(name("m"))) ?? "ok",
    create: attempt(() => writeFileSync(name("c"), "created")) ?? "ok",
    lookup: attempt(() => lstatSync(name("c")).size),
    truncate: attempt(() => truncateSync(name("c"), 3)) ?? "ok",
    symlink: attempt(() => symlinkSync("target", name("s"))) ?? "ok",
    readlink: attempt(() => readlinkSync(name("s"))),
    link: attempt(() => linkSync(join(a, `original-${length}`), name("l"))) ?? "ok",
    renameTo: attempt(() => renameSync(join(a, `source-${length}`), name("r"))) ?? "ok",
    renameFrom: attempt(() => renameSync(name("r"), name("q"))) ?? "ok",
    unlink: attempt(() => unlinkSync(name("c"))) ?? "ok",
    unlinkSymlink: attempt(() => unlinkSync(name("s"))) ?? "ok",
  };
}

export const limitScenarios: Record<string, Scenario> = {
  "names of NAME_MAX bytes work and one byte more is ENAMETOOLONG": ({ a }) => ({
    atLimit: namesOfLength(a, nameMaxBytes),
    overLimit: namesOfLength(a, nameMaxBytes + 1),
  }),

  "paths of PATH_MAX - 1 bytes work and one byte more is ENAMETOOLONG": ({ a }) =>
    python(
      `import json, os, sys
os.chdir(sys.argv[1])
# 16 directories of 254-byte names: 16 * 255 = 4080 bytes with their slashes.
parts = [chr(ord("a") + i) * 254 for i in range(16)]
fd = os.open(".", os.O_RDONLY)
for part in parts:
    os.mkdir(part, dir_fd=fd)
    next_fd = os.open(part, os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = next_fd
os.close(fd)
prefix = "/".join(parts) + "/"
def create(path):
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))
at_limit = prefix + "f" * (4095 - len(prefix))
over_limit = prefix + "g" * (4096 - len(prefix))
result = {
    "lengths": [len(at_limit), len(over_limit)],
    "createAtLimit": attempt(lambda: create(at_limit)),
    "statAtLimit": attempt(lambda: os.lstat(at_limit)),
    "createOverLimit": attempt(lambda: create(over_limit)),
    "mkdirOverLimit": attempt(lambda: os.mkdir(over_limit)),
    "unlinkAtLimit": attempt(lambda: os.unlink(at_limit)),
}
# Leave no tree deeper than PATH_MAX behind: recursive removers fail on it.
for depth in range(len(parts), 0, -1):
    result["rmdir%d" % depth] = attempt(lambda: os.rmdir("/".join(parts[:depth])))
print(json.dumps(result))`,
      a,
    ),

  "a symlink target of PATH_MAX - 1 bytes reads back and one byte more is ENAMETOOLONG": ({ a }) => {
    const target = "t".repeat(4095);
    return {
      atLimit: attempt(() => symlinkSync(target, join(a, "long")) ?? readlinkSync(join(a, "long")) === target),
      overLimit: attempt(() => symlinkSync(`${target}t`, join(a, "longer"))) ?? "ok",
    };
  },
};
