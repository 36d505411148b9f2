// The writer the restart tests run in a pod: through an enforced (FUSE) access-point volume it
// appends a numbered line every 2 ms three ways: reopening the file by its absolute path each
// time, through a descriptor it keeps open, and by a path relative to its working directory
// inside the mount. Each failed append is noted outside the volume (/tmp of the container, on its
// overlay), by kind and number. It stops when /data/stop appears and writes how many it made.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileSystemDirectory } from "../../src/engines/filesystems/mod.js";
import type { MoorUnderTest } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { createAccessPoint, createFileSystem, createMountTargets } from "../stateful/_efs.js";

const script = [
  "cd /data || exit 1",
  "exec 3>>held.log",
  "i=0",
  "while [ ! -e /data/stop ]; do",
  "  i=$((i+1))",
  '  echo $i >> /data/lines.log || echo "path $i" >> /tmp/fails',
  '  echo $i >&3 || echo "held $i" >> /tmp/fails',
  '  echo $i >> relative.log || echo "relative $i" >> /tmp/fails',
  "  usleep 2000",
  "done",
  "echo $i > /tmp/count",
  "sleep 3600",
].join("\n");

export interface Writer {
  /** The access point's root directory on the backing store (read from the host). */
  directory: string;
  /** Lines in the file appended by path, as the host sees it now. */
  lines(): number;
  /** Stops the writer; returns how many appends it made and its failures, one per line. */
  finish(): Promise<{ count: number; failures: string[] }>;
}

export async function startWriter(moor: MoorUnderTest, name: string): Promise<Writer> {
  const fileSystemId = await createFileSystem(moor, name);
  await createMountTargets(moor, fileSystemId);
  const accessPointId = await createAccessPoint(moor, fileSystemId, [
    "--posix-user", "Uid=1000,Gid=1000",
    "--root-directory", "Path=/app,CreationInfo={OwnerUid=1000,OwnerGid=1000,Permissions=755}",
  ]);
  await kubectlOk(moor, ["apply", "-f", "-"], JSON.stringify(manifests(name, `${fileSystemId}::${accessPointId}`)));
  await kubectlOk(moor, ["wait", "--for=condition=Ready", `pod/${name}`, "--timeout=90s"]);
  const directory = join(fileSystemDirectory(join(moor.home, "filesystems"), fileSystemId), "app");
  const lines = () => {
    try {
      return readFileSync(join(directory, "lines.log"), "utf8").split("\n").length - 1;
    } catch {
      return 0;
    }
  };
  await waitFor("the writer to append", () => lines() > 10, 30_000);
  return {
    directory,
    lines,
    finish: async () => {
      await kubectlOk(moor, ["exec", name, "--", "touch", "/data/stop"]);
      const count = await waitFor("the writer to stop", async () => {
        const result = await kubectl(moor, ["exec", name, "--", "cat", "/tmp/count"]);
        return result.code === 0 ? Number(result.stdout.trim()) : undefined;
      }, 30_000);
      const fails = await kubectl(moor, ["exec", name, "--", "cat", "/tmp/fails"]);
      const failures = fails.code === 0 ? fails.stdout.split("\n").filter(Boolean) : [];
      return { count, failures };
    },
  };
}

/** The numbers of a file's lines, in order. */
export function numberedLines(text: string): number[] {
  return text.split("\n").filter((line) => line !== "").map(Number);
}

export async function podPhase(moor: MoorUnderTest, name: string): Promise<string> {
  return (await kubectlJson(moor, ["get", "pod", name])).status?.phase;
}

function manifests(name: string, handle: string) {
  return {
    apiVersion: "v1",
    kind: "List",
    items: [
      { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: `${name}-pv` }, spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteMany"], storageClassName: "", csi: { driver: "efs.csi.aws.com", volumeHandle: handle } } },
      { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: `${name}-claim` }, spec: { accessModes: ["ReadWriteMany"], storageClassName: "", volumeName: `${name}-pv`, resources: { requests: { storage: "1Gi" } } } },
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name },
        spec: {
          containers: [{ name: "writer", image: "busybox", imagePullPolicy: "IfNotPresent", command: ["sh", "-c", script], volumeMounts: [{ name: "data", mountPath: "/data" }] }],
          volumes: [{ name: "data", persistentVolumeClaim: { claimName: `${name}-claim` } }],
        },
      },
    ],
  };
}
