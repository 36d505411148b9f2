// Helpers the POSIX scenarios share: outcomes as plain data (a value or an errno code), stat
// summaries without the fields that differ between any two directories (inode and device
// numbers, times), and the small Debian tools and Python snippets for what Node cannot do.

import { spawnSync } from "node:child_process";
import { lstatSync } from "node:fs";

/** A scenario's context: its own directory seen through the first and the second mount. */
export interface ScenarioContext {
  a: string;
  b: string;
  /** The fixtures root prepared by root (see _fixtures.ts), through the first mount. */
  fixtures: string;
}

export type Scenario = (context: ScenarioContext) => unknown;

/** The value of `action`, or the errno code it failed with. */
export function attempt<T>(action: () => T): T | string {
  try {
    return action();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/** The parts of lstat that must match on every target. */
export function summary(path: string): Record<string, unknown> | string {
  return attempt(() => {
    const stats = lstatSync(path);
    const type = stats.isFile() ? "file" : stats.isDirectory() ? "dir" : stats.isSymbolicLink() ? "symlink" : stats.isFIFO() ? "fifo" : "other";
    return {
      type,
      mode: (stats.mode & 0o7777).toString(8),
      uid: stats.uid,
      gid: stats.gid,
      size: type === "dir" ? "-" : stats.size,
      nlink: stats.nlink,
    };
  });
}

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool; paths in its output are cut to their last component so targets compare equal. */
export function tool(command: string, args: string[], input?: string): ToolResult {
  const result = spawnSync(command, args, { encoding: "utf8", input, timeout: 30_000 });
  const clean = (text: string) => text.replace(/\/[^\s'"]*\/([^/\s'"]+)/g, "$1").trim();
  return { status: result.status, stdout: clean(result.stdout ?? ""), stderr: clean(result.stderr ?? "") };
}

/** Defined for every python() script: runs an action, answering "ok" or the errno's name. */
const pythonPrelude = `import errno
def attempt(action):
    try:
        action()
        return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]
`;

/**
 * Runs a Python 3 snippet that prints one JSON value; returns it (or the failure as text). The
 * snippet can call attempt(action).
 */
export function python(code: string, ...args: string[]): unknown {
  const result = spawnSync("/usr/bin/python3", ["-c", pythonPrelude + code, ...args], { encoding: "utf8", timeout: 30_000 });
  if (result.status !== 0) return `python failed: ${result.stderr.trim().split("\n").pop()}`;
  return JSON.parse(result.stdout);
}
