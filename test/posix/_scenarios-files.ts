// Scenarios on file contents: open flags, positioned I/O, sparse files past 4 GiB, truncation,
// mmap, and what one mount sees right after another wrote.

import {
  appendFileSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { attempt, python, summary, type Scenario } from "./_tools.js";

const gib = 1024 ** 3;

function readAt(fd: number, length: number, position: number): string {
  const buffer = Buffer.alloc(length);
  const bytes = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, bytes).toString("latin1");
}

export const fileScenarios: Record<string, Scenario> = {
  "create with O_EXCL, then again": ({ a }) => {
    const path = join(a, "new");
    const first = attempt(() => closeSync(openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o640)));
    const second = attempt(() => openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o640));
    return { first: first ?? "ok", second, stat: summary(path) };
  },

  "O_APPEND writes at the end whatever the position": ({ a }) => {
    const path = join(a, "log");
    writeFileSync(path, "abc");
    const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND);
    writeSync(fd, "def", 0);
    writeSync(fd, "ghi");
    closeSync(fd);
    return readFileSync(path, "utf8");
  },

  "O_TRUNC empties an existing file": ({ a }) => {
    const path = join(a, "t");
    writeFileSync(path, "hello world");
    const fd = openSync(path, constants.O_WRONLY | constants.O_TRUNC);
    const sizeAfterOpen = fstatSync(fd).size;
    writeSync(fd, "hi");
    closeSync(fd);
    return { sizeAfterOpen, content: readFileSync(path, "utf8") };
  },

  "reads and writes at offsets": ({ a }) => {
    const path = join(a, "offsets");
    const fd = openSync(path, "w+");
    writeSync(fd, "start", 0);
    writeSync(fd, "middle", 100);
    writeSync(fd, "page", 4096 * 3 + 7);
    const result = {
      start: readAt(fd, 5, 0),
      gap: readAt(fd, 4, 50),
      middle: readAt(fd, 6, 100),
      page: readAt(fd, 4, 4096 * 3 + 7),
      pastEnd: readAt(fd, 10, 4096 * 4),
      size: fstatSync(fd).size,
    };
    closeSync(fd);
    return result;
  },

  "sparse file with data past 4 GiB": ({ a }) => {
    const path = join(a, "sparse");
    const fd = openSync(path, "w+");
    writeSync(fd, "tail", 5 * gib);
    writeSync(fd, "x", 4 * gib + 1);
    const stats = fstatSync(fd);
    const result = {
      size: stats.size,
      mostlyHoles: stats.blocks < 1024,
      hole: readAt(fd, 3, 4 * gib - 1),
      x: readAt(fd, 1, 4 * gib + 1),
      tail: readAt(fd, 4, 5 * gib),
    };
    closeSync(fd);
    unlinkSync(path);
    return result;
  },

  "truncate grows with zeros and shrinks": ({ a }) => {
    const path = join(a, "grow");
    writeFileSync(path, "0123456789");
    truncateSync(path, 4);
    const shrunk = readFileSync(path, "latin1");
    truncateSync(path, 8);
    const grown = readFileSync(path, "latin1");
    const fd = openSync(path, "r+");
    ftruncateSync(fd, 2);
    closeSync(fd);
    return { shrunk, grown: JSON.stringify(grown), final: readFileSync(path, "utf8"), missing: attempt(() => truncateSync(join(a, "none"), 1)) };
  },

  "mmap writes are seen through the other mount": ({ a, b }) => {
    writeFileSync(join(a, "mapped"), Buffer.alloc(8192, "."));
    return python(
      `import mmap, os, sys, json
a, b = sys.argv[1], sys.argv[2]
with open(a, "r+b") as f:
    m = mmap.mmap(f.fileno(), 0)
    m[0:5] = b"HELLO"
    m[4096:4101] = b"WORLD"
    m.flush()
    m.close()
with open(b, "rb") as f:
    data = f.read()
with open(b, "r+b") as f:
    f.seek(100)
    f.write(b"plain")
with open(a, "rb") as f:
    m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
    seen = bytes(m[100:105]).decode()
    m.close()
print(json.dumps({"head": data[0:5].decode(), "page": data[4096:4101].decode(), "size": len(data), "mappedRead": seen}))`,
      join(a, "mapped"),
      join(b, "mapped"),
    );
  },

  "read after write between two mounts": ({ a, b }) => {
    const seen: Record<string, unknown> = {};
    writeFileSync(join(a, "f"), "v1");
    seen.first = readFileSync(join(b, "f"), "utf8");
    seen.firstSize = statSync(join(b, "f")).size;
    appendFileSync(join(a, "f"), "v2");
    seen.appendedSize = statSync(join(b, "f")).size;
    seen.appended = readFileSync(join(b, "f"), "utf8");
    writeFileSync(join(b, "f"), "three");
    seen.back = readFileSync(join(a, "f"), "utf8");
    seen.backSize = statSync(join(a, "f")).size;
    mkdirSync(join(a, "d"));
    seen.listed = readdirSync(b).sort();
    renameSync(join(a, "d"), join(a, "e"));
    seen.renamedOld = attempt(() => statSync(join(b, "d")).isDirectory());
    seen.renamedNew = statSync(join(b, "e")).isDirectory();
    unlinkSync(join(a, "f"));
    seen.unlinked = existsSync(join(b, "f"));
    seen.unlinkedStat = attempt(() => statSync(join(b, "f")).size);
    return seen;
  },
};
