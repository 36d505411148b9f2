// A RUN step's sandbox: runc on an overlay of the image's layers with a fresh upper directory
// (which becomes the step's layer), in its own PID, mount, UTS and IPC namespaces but on the
// host's network, so `apt-get install` reaches Debian's mirror as it does for the host.

import { randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ImageStore } from "../images/mod.js";
import { normalizePath, resolveUser } from "../../domain/dockerfile/mod.js";
import { mountLayers, unmount } from "./_layers.js";
import { run } from "./_process.js";

export interface SandboxRun {
  argv: string[];
  env: string[];
  cwd: string;
  /** USER as the image says it ("www-data", "1000:1000"); root when empty. */
  user: string;
  runcRoot: string;
  output: (chunk: string) => void;
}

// Docker's default capabilities for a container.
const capabilities = [
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
  "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
];
// Files the sandbox gets from the host and that must not land in the layer.
const hostFiles = ["/etc/resolv.conf", "/etc/hosts"];

/** Runs the command; resolves with its exit code and the upper directory holding what it changed. */
export async function runInSandbox(store: ImageStore, layers: string[], work: string, request: SandboxRun): Promise<{ code: number; upper: string }> {
  const upper = join(work, "upper");
  const merged = join(work, "merged");
  mkdirSync(upper, { recursive: true, mode: 0o755 });
  mkdirSync(join(work, "work"));
  await mountLayers(store, layers, merged, { upper, work: join(work, "work") });
  const had = hostFiles.filter((path) => existsSync(join(merged, path)));
  try {
    mkdirSync(join(merged, request.cwd), { recursive: true });
    const user = request.user ? resolveUser(request.user, readText(join(merged, "etc/passwd")), readText(join(merged, "etc/group"))) : { uid: 0, gid: 0 };
    const bundle = join(work, "bundle");
    mkdirSync(bundle);
    writeFileSync(join(bundle, "config.json"), JSON.stringify(runtimeSpec(merged, request, user)));
    const id = `moor-build-${randomBytes(6).toString("hex")}`;
    mkdirSync(request.runcRoot, { recursive: true });
    try {
      const result = await run("runc", ["--root", request.runcRoot, "run", "--bundle", bundle, id], { allowFailure: true, output: request.output });
      return { code: result.code, upper };
    } finally {
      await run("runc", ["--root", request.runcRoot, "delete", "--force", id], { allowFailure: true });
    }
  } finally {
    await unmount(merged);
    // The mount points runc made for the host's files are not the step's work.
    for (const path of hostFiles) {
      if (had.includes(path)) continue;
      const left = join(upper, path);
      try {
        if (lstatSync(left).isFile() && lstatSync(left).size === 0) rmSync(left);
      } catch {
        // Not there.
      }
    }
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function runtimeSpec(rootfs: string, request: SandboxRun, user: { uid: number; gid: number }): object {
  const bind = (path: string) => ({ destination: path, type: "bind", source: path, options: ["rbind", "ro"] });
  return {
    ociVersion: "1.0.2",
    process: {
      terminal: false,
      user,
      args: request.argv,
      env: request.env,
      cwd: normalizePath(request.cwd),
      capabilities: { bounding: capabilities, effective: capabilities, permitted: capabilities },
    },
    root: { path: rootfs, readonly: false },
    hostname: "moor-build",
    mounts: [
      { destination: "/proc", type: "proc", source: "proc" },
      { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
      { destination: "/dev/pts", type: "devpts", source: "devpts", options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
      { destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
      { destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"] },
      { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
      ...hostFiles.map(bind),
    ],
    linux: {
      namespaces: [{ type: "pid" }, { type: "mount" }, { type: "uts" }, { type: "ipc" }],
      maskedPaths: ["/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
      readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
    },
  };
}
