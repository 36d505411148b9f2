// A lock between processes (the agent and `moor image`), held only for a read-modify-write of
// the image index: an exclusively created file, broken when its holder is gone.

import { openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { unavailable } from "../../errors/mod.js";

const attemptsMax = 2000;

export function withLock<T>(path: string, fn: () => T): T {
  for (let attempt = 0; attempt < attemptsMax; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
    } catch {
      if (holderGone(path)) rmSync(path, { force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      continue;
    }
    try {
      return fn();
    } finally {
      rmSync(path, { force: true });
    }
  }
  throw unavailable(`Cannot lock "${path}": another process holds it`);
}

function holderGone(path: string): boolean {
  try {
    process.kill(Number(readFileSync(path, "utf8")), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
