// The marked block of /etc/hosts that makes load balancer names resolve on the host without
// flags: `# BEGIN moor <digest>` ... `# END moor <digest>`, one per data directory, so several
// Moors on one host each keep their own. Every change rewrites the file through a temporary file
// and a rename (readers never see half a file), under a lock directory shared by all Moors (two
// Moors editing at once would otherwise lose one's block).

import { mkdirSync, readFileSync, renameSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const lockPath = "/run/moor/hosts.lock";
/** A lock older than this belongs to a Moor that died while holding it. */
const lockStaleMs = 10_000;
const lockWaitMs = 10;
const lockAttemptsMax = 2_000;

export interface HostsEntry {
  address: string;
  hostname: string;
}

function markers(digest: string): { begin: string; end: string } {
  return { begin: `# BEGIN moor ${digest}`, end: `# END moor ${digest}` };
}

/**
 * Where a block goes: `last` for names only this Moor has (its load balancers'); `first` for a
 * name every Moor on the host claims alike (the ECR registry's, fixed by account and region), so
 * that the Moor started last answers for it (the resolver takes the first match), and the one
 * before it again once it stops.
 */
export type BlockPlace = "first" | "last";

/** The file's text with this Moor's block replaced by `entries` (removed when none). */
export function withBlock(text: string, digest: string, entries: readonly HostsEntry[], place: BlockPlace = "last"): string {
  const { begin, end } = markers(digest);
  const kept: string[] = [];
  let inside = false;
  for (const line of text.split("\n")) {
    if (line === begin) inside = true;
    else if (line === end) inside = false;
    else if (!inside) kept.push(line);
  }
  while (kept.length > 0 && kept[kept.length - 1] === "") kept.pop();
  const block = entries.length === 0 ? [] : [begin, ...entries.map((entry) => `${entry.address} ${entry.hostname}`), end];
  if (place === "first") {
    while (kept.length > 0 && kept[kept.length - 1] === "") kept.pop();
    return [...block, ...kept].join("\n") + "\n";
  }
  return [...kept, ...block].join("\n") + "\n";
}

async function withLock<T>(action: () => T): Promise<T> {
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lockPath);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= lockAttemptsMax) throw error;
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > lockStaleMs) rmdirSync(lockPath);
      } catch {
        // Released in between.
      }
      await new Promise((resolve) => setTimeout(resolve, lockWaitMs));
    }
  }
  try {
    return action();
  } finally {
    rmdirSync(lockPath);
  }
}

/** Writes this Moor's block (or removes it, given no entries), leaving every other line alone. */
export function writeHostsBlock(hostsFile: string, digest: string, entries: readonly HostsEntry[], place: BlockPlace = "last"): Promise<void> {
  return withLock(() => {
    const current = readFileSync(hostsFile, "utf8");
    const next = withBlock(current, digest, entries, place);
    if (next === current) return;
    const temporary = join(dirname(hostsFile), `.hosts.moor-${digest}.${process.pid}`);
    writeFileSync(temporary, next, { mode: statSync(hostsFile).mode & 0o777 });
    renameSync(temporary, hostsFile);
  });
}
