// Scenarios 2 and 3 of the stateful issue: a file written from the host is served by a pod that
// never wrote it; a StatefulSet on an efs-ap class gets one access point and GID per replica, and
// deleting the claims removes them (reclaim Delete).

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { type MoorUnderTest, moorEntry, repoRoot, run, startMoor } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { awsJson, createFileSystem, createMountTargets } from "./_efs.js";

let moor: MoorUnderTest;
before(async () => {
  moor = await startMoor();
});
after(async () => {
  await moor?.dispose();
});

it("serves from a pod the file a host wrote through moor efs mount", async () => {
  const fileSystemId = await createFileSystem(moor, "host-to-pod");
  await createMountTargets(moor, fileSystemId);
  const directory = mkdtempSync(join(tmpdir(), "moor-host-mount-"));
  const mount = await run(process.execPath, [moorEntry, "efs", "mount", fileSystemId, directory, "-o", "tls"], { env: moor.env });
  assert.equal(mount.code, 0, mount.stderr);
  writeFileSync(join(directory, "index.html"), "<h1>from the host</h1>\n");
  const manifests = readFileSync(join(repoRoot, "examples/host-to-pod/manifests.yaml"), "utf8").replaceAll("FILE_SYSTEM_ID", fileSystemId);
  await kubectlOk(moor, ["apply", "-f", "-"], manifests);
  await kubectlOk(moor, ["wait", "--for=condition=Ready", "pod/web", "--timeout=60s"]);
  assert.equal(await kubectlOk(moor, ["exec", "web", "--", "wget", "-qO-", "http://127.0.0.1/index.html"]), "<h1>from the host</h1>\n");
  const umount = await run(process.execPath, [moorEntry, "efs", "umount", directory], { env: moor.env });
  assert.equal(umount.code, 0, umount.stderr);
  rmSync(directory, { recursive: true });
});

it("gives each StatefulSet replica its own access point and GID, and removes them with the claims", async () => {
  const fileSystemId = await createFileSystem(moor, "statefulset");
  await createMountTargets(moor, fileSystemId);
  const manifests = readFileSync(join(repoRoot, "examples/dynamic-statefulset/manifests.yaml"), "utf8").replaceAll("FILE_SYSTEM_ID", fileSystemId);
  await kubectlOk(moor, ["apply", "-f", "-"], manifests);
  await kubectlOk(moor, ["rollout", "status", "statefulset/db", "--timeout=90s"]);
  const claims = (await kubectlJson(moor, ["get", "pvc"])).items.filter((claim: any) => claim.metadata.name.startsWith("data-db-"));
  assert.deepEqual(claims.map((claim: any) => [claim.metadata.name, claim.status.phase]).sort(), [["data-db-0", "Bound"], ["data-db-1", "Bound"]]);

  const points = (await awsJson(moor, ["efs", "describe-access-points", "--file-system-id", fileSystemId])).AccessPoints;
  assert.equal(points.length, 2);
  assert.deepEqual(points.map((point: any) => point.PosixUser.Gid).sort(), [1000, 1001]);
  for (const point of points) assert.match(point.RootDirectory.Path, /^\/dynamic\/pvc-/);

  const owners = await Promise.all(["db-0", "db-1"].map(async (pod) => {
    await waitFor(`${pod} wrote its file`, async () => (await kubectl(moor, ["exec", pod, "--", "cat", "/data/owner"])).code === 0);
    return (await kubectlOk(moor, ["exec", pod, "--", "stat", "-c", "%g", "/data/owner"])).trim();
  }));
  assert.deepEqual(owners.sort(), ["1000", "1001"], "files belong to each replica's access point GID");

  await kubectlOk(moor, ["delete", "statefulset", "db", "--wait=true"]);
  await kubectlOk(moor, ["delete", "pvc", "data-db-0", "data-db-1", "--wait=true"]);
  await waitFor("the access points to be deleted", async () => {
    const left = (await awsJson(moor, ["efs", "describe-access-points", "--file-system-id", fileSystemId])).AccessPoints;
    return left.length === 0;
  });
  await waitFor("the volumes to be deleted", async () => (await kubectlJson(moor, ["get", "pv"])).items.filter((pv: any) => pv.metadata.name.startsWith("pvc-")).length === 0);
});
