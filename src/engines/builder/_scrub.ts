// What makes a debootstrapped tree differ from one made on another day or host, removed or
// pinned: logs, apt's lists and caches, the host's resolv.conf and hostname, backup files,
// and shadow's "last changed" day; and what the slim variant prunes.

import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Cleans the tree; returns the archive's Release date (seconds), the time files are clamped to. */
export function scrubRootfs(rootfs: string, mirror: string): number {
  const epoch = releaseEpoch(rootfs);
  for (const folder of ["var/lib/apt/lists", "var/cache/apt", "var/log", "var/cache/ldconfig", "tmp", "var/tmp"]) {
    emptyTree(join(rootfs, folder), () => true);
  }
  for (const file of ["var/cache/debconf/config.dat-old", "var/cache/debconf/templates.dat-old", "etc/resolv.conf", "etc/hostname", "etc/machine-id", "etc/passwd-", "etc/group-", "etc/shadow-", "etc/gshadow-", "var/lib/dpkg/status-old", "var/lib/dpkg/diversions-old", "var/lib/dpkg/available-old", "root/.bash_history"]) {
    rmSync(join(rootfs, file), { force: true });
  }
  pinShadowDates(rootfs, Math.floor(epoch / 86400));
  rmSync(join(rootfs, "etc/apt/sources.list"), { force: true });
  const mirrorSecurity = mirror.replace(/\/debian\/?$/, "/debian-security");
  writeFileSync(join(rootfs, "etc/apt/sources.list.d/debian.sources"),
    `Types: deb\nURIs: ${mirror}\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n` +
    `Types: deb\nURIs: ${mirrorSecurity}\nSuites: bookworm-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`);
  // Images stay small: apt drops downloaded packages and its binary caches after each run.
  writeFileSync(join(rootfs, "etc/apt/apt.conf.d/docker-clean"),
    'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n' +
    'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n' +
    'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n');
  writeFileSync(join(rootfs, "etc/apt/apt.conf.d/docker-no-languages"), 'Acquire::Languages "none";\n');
  return epoch;
}

function releaseEpoch(rootfs: string): number {
  const fixed = Number(process.env.SOURCE_DATE_EPOCH);
  if (Number.isInteger(fixed) && fixed > 0) return fixed;
  const lists = join(rootfs, "var/lib/apt/lists");
  const release = readdirSync(lists).find((name) => /_dists_bookworm_(In)?Release$/.test(name));
  const date = release && /^Date:\s*(.+)$/m.exec(readFileSync(join(lists, release), "utf8"))?.[1];
  const parsed = date ? Date.parse(date) : NaN;
  if (Number.isNaN(parsed)) throw new Error("debootstrap left no Release file with a Date");
  return Math.floor(parsed / 1000);
}

/** Removes the files inside a folder tree (folders stay) that `remove` accepts. */
function emptyTree(folder: string, remove: (path: string) => boolean): void {
  if (!existsSync(folder)) return;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) emptyTree(path, remove);
    else if (remove(path)) rmSync(path, { force: true });
  }
}

function pinShadowDates(rootfs: string, day: number): void {
  const path = join(rootfs, "etc/shadow");
  if (!existsSync(path)) return;
  const lines = readFileSync(path, "utf8").split("\n").map((line) => {
    const fields = line.split(":");
    if (fields.length > 2 && fields[2] !== "") fields[2] = String(day);
    return fields.join(":");
  });
  writeFileSync(path, lines.join("\n"));
}

/** dpkg paths the slim variant leaves out, now and for every later install. */
export const slimDpkgConfig = [
  "# Moor's slim Debian image: no documentation, manual pages or translations.",
  "path-exclude /usr/share/doc/*",
  "path-include /usr/share/doc/*/copyright",
  "path-exclude /usr/share/man/*",
  "path-exclude /usr/share/groff/*",
  "path-exclude /usr/share/info/*",
  "path-exclude /usr/share/lintian/*",
  "path-exclude /usr/share/linda/*",
  "path-exclude /usr/share/locale/*",
  "path-include /usr/share/locale/locale.alias",
  "",
].join("\n");

export function pruneForSlim(rootfs: string): void {
  const doc = join(rootfs, "usr/share/doc");
  if (existsSync(doc)) {
    emptyTree(doc, (path) => !path.endsWith("/copyright"));
    removeEmptyDirectories(doc, false);
  }
  for (const folder of ["usr/share/man", "usr/share/groff", "usr/share/info", "usr/share/lintian", "usr/share/linda"]) {
    for (const entry of safeList(join(rootfs, folder))) rmSync(join(rootfs, folder, entry), { recursive: true, force: true });
  }
  for (const entry of safeList(join(rootfs, "usr/share/locale"))) {
    if (entry !== "locale.alias") rmSync(join(rootfs, "usr/share/locale", entry), { recursive: true, force: true });
  }
}

function safeList(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function removeEmptyDirectories(folder: string, removeSelf: boolean): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyDirectories(join(folder, entry.name), true);
  }
  if (removeSelf && readdirSync(folder).length === 0) rmSync(folder, { recursive: true });
}
