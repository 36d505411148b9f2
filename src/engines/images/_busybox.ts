// The built-in busybox image, made from Debian's busybox-static in milliseconds, so no test or
// example needs a registry: one layer with the binary, a link per applet, and the files a
// container expects (/etc/passwd, /etc/group, /tmp). With it, when built (native/build.sh),
// `http-get`: busybox's static glibc `wget` cannot resolve names in a pod, this musl one can.

import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { unavailable } from "../../errors/mod.js";
import { command } from "../command/mod.js";
import type { Image, ImageStore } from "./mod.js";

export const busyboxReference = "docker.io/library/busybox:latest";
const busyboxBinary = "/bin/busybox";
const recipeVersion = "1";

/** native/build/http-get, found upwards from this file (<root>/[dist-x/]src/engines/images/). */
function httpClient(): Buffer | undefined {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth += 1, directory = dirname(directory)) {
    try {
      return readFileSync(join(directory, "native", "build", "http-get"));
    } catch {
      // Not at this level.
    }
  }
  return undefined;
}

export async function ensureBusybox(store: ImageStore): Promise<Image> {
  let binary: Buffer;
  try {
    binary = readFileSync(busyboxBinary);
  } catch (error) {
    throw unavailable(`Cannot build the busybox image: ${busyboxBinary} is missing (install Debian's busybox-static)`, { cause: error });
  }
  const client = httpClient();
  const diffId = `sha256:${createHash("sha256").update(recipeVersion).update(binary).update(client ?? "").digest("hex")}`;
  const existing = store.find(busyboxReference);
  if (existing && existing.layers[0] === diffId) return existing;
  const applets = (await command(busyboxBinary, ["--list"])).stdout.split("\n").filter((name) => /^[\w.[-]+$/.test(name));
  const configJson = JSON.stringify({
    architecture: "amd64",
    os: "linux",
    created: "2024-01-01T00:00:00Z",
    config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["sh"] },
    rootfs: { type: "layers", diff_ids: [diffId] },
  });
  return store.add({
    references: [busyboxReference, "docker.io/library/busybox:moor"],
    configJson,
    layers: [{ diffId, sizeBytes: binary.length, unpack: async (directory) => writeLayer(directory, applets, client) }],
  });
}

function writeLayer(directory: string, applets: string[], client: Buffer | undefined): void {
  for (const folder of ["bin", "etc", "root", "home", "var", "usr/bin", "usr/sbin", "sbin", "proc", "sys", "dev"]) {
    mkdirSync(join(directory, folder), { recursive: true });
  }
  mkdirSync(join(directory, "tmp"), { mode: 0o1777 });
  chmodSync(join(directory, "tmp"), 0o1777);
  copyFileSync(busyboxBinary, join(directory, "bin/busybox"));
  chmodSync(join(directory, "bin/busybox"), 0o755);
  for (const applet of applets) {
    if (applet === "busybox") continue;
    try {
      symlinkSync("/bin/busybox", join(directory, "bin", applet));
    } catch {
      // Listed twice.
    }
  }
  if (client) writeFileSync(join(directory, "bin/http-get"), client, { mode: 0o755 });
  writeFileSync(join(directory, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n");
  writeFileSync(join(directory, "etc/group"), "root:x:0:\nnobody:x:65534:\n");
}
