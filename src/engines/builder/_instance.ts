// Moor's EC2 instance image: debian:bookworm (debootstrap minbase, src/engines/builder/_base.ts)
// plus one layer of Moor's own files: the instance init, which does for a shell-script user data
// what cloud-init does (runs it once, as root, at first boot, its output on the console and in
// /var/log/cloud-init-output.log) and then idles as PID 1, and the mount helpers that let
// `mount -t nfs|efs` reach EFS through Moor (_mount-helpers.ts). Every AMI id runs this image.

import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Image, ImageStore } from "../images/mod.js";
import { type BaseOptions, ensureBaseImage } from "./_base.js";
import { mountHelperFiles } from "./_mount-helpers.js";

export const instanceImageReference = "moor.dev/ec2/debian-instance:bookworm";
const recipeVersion = "2";

const init = `#!/bin/bash
# Moor's instance init (PID 1): the user data once, at first boot, as cloud-init runs a
# shell-script user data; then it waits to be stopped.
set -u
mkdir -p /var/lib/cloud/instance /var/log
# As cloud-init's EC2 data source does, reach the metadata service before the user data: it
# answers (200, or 401 when tokens are required) once the network is up and knows this instance.
metadata_ready() {
  timeout 0.5 bash -c 'exec 3<>/dev/tcp/169.254.169.254/80 || exit 1
    printf "GET /latest/meta-data/instance-id HTTP/1.0\r\n\r\n" >&3
    IFS= read -r status <&3
    [[ $status == *" 200 "* || $status == *" 401 "* ]]' 2>/dev/null
}
if [ -n "\${MOOR_USER_DATA:-}" ]; then
  for attempt in $(seq 1 300); do metadata_ready && break; sleep 0.1; done
  printf '%s' "$MOOR_USER_DATA" | base64 -d > /var/lib/cloud/instance/user-data.txt
  unset MOOR_USER_DATA
  if [ "$(head -c 2 /var/lib/cloud/instance/user-data.txt)" = "#!" ]; then
    cp /var/lib/cloud/instance/user-data.txt /var/lib/cloud/instance/part-001
    chmod 700 /var/lib/cloud/instance/part-001
    echo "Cloud-init v. moor running 'modules:final' at $(date -u '+%a, %d %b %Y %H:%M:%S +0000')."
    (cd / && /var/lib/cloud/instance/part-001) 2>&1 | tee -a /var/log/cloud-init-output.log
    status=\${PIPESTATUS[0]}
    [ "$status" -eq 0 ] || echo "Failed to run module scripts-user (scripts in /var/lib/cloud/instance/scripts): exit status $status"
    echo "Cloud-init v. moor finished at $(date -u '+%a, %d %b %Y %H:%M:%S +0000')."
  else
    echo "Unhandled non-multipart (text/x-not-multipart) userdata: moor runs #! scripts only"
  fi
fi
trap 'exit 0' TERM INT
while :; do sleep 2147483647 & wait $!; done
`;

/** The files of Moor's layer, by path inside the instance. */
export function instanceFiles(helpers: Record<string, string> = {}): Record<string, string> {
  return { "usr/local/sbin/moor-instance-init": init, ...mountHelperFiles(), ...helpers };
}

function writeLayer(directory: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const target = join(directory, path);
    mkdirSync(join(target, ".."), { recursive: true });
    writeFileSync(target, text);
    chmodSync(target, 0o755);
  }
}

/** The instance image in the store, made from the base image (itself made once per machine). */
export async function ensureInstanceImage(store: ImageStore, options: BaseOptions, helpers: Record<string, string> = {}): Promise<Image> {
  const files = instanceFiles(helpers);
  const hash = createHash("sha256").update(recipeVersion);
  for (const [path, text] of Object.entries(files).sort()) hash.update(path).update("\0").update(text).update("\0");
  const diffId = `sha256:${hash.digest("hex")}`;
  const base = await ensureBaseImage(store, "debian:bookworm", options);
  const existing = store.find(instanceImageReference);
  if (existing && existing.layers.at(-1) === diffId) return existing;
  const configJson = JSON.stringify({
    architecture: "amd64",
    os: "linux",
    created: base.createdAt,
    config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["/usr/local/sbin/moor-instance-init"] },
    rootfs: { type: "layers", diff_ids: [...base.layers, diffId] },
  });
  const baseLayers = base.layers.map((layerId) => ({ diffId: layerId, sizeBytes: 0, unpack: async () => {} }));
  return store.add({
    references: [instanceImageReference],
    configJson,
    layers: [...baseLayers, { diffId, sizeBytes: Object.values(files).reduce((sum, text) => sum + text.length, 0), unpack: async (directory) => writeLayer(directory, files) }],
  });
}
