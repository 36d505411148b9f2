// Block volumes end to end, as the Java API guide's MySQL uses them: a StatefulSet on a
// node-group node with a `tb-gp2` claim (ebs.csi.aws.com, Immediate, gp2, ext4) keeps its data
// across the pod's deletion, cannot write past its size, grows when its claim asks more, is
// listed by `aws ec2 describe-volumes`, refuses a Fargate pod in Fargate's words, and its data
// goes with its claim (reclaim Delete).

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { aws, type MoorUnderTest, moorEntry, run, startMoor } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";

let moor: MoorUnderTest;
before(async () => {
  moor = await startMoor();
  const group = await run(process.execPath, [moorEntry, "nodegroup", "create", "workers", "--zone", "us-east-1a", "--nodes", "1"], { env: moor.env });
  assert.equal(group.code, 0, group.stderr);
});
after(async () => {
  await moor?.dispose();
});

const manifests = {
  apiVersion: "v1",
  kind: "List",
  items: [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "db" } },
    {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "tb-gp2" },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp2", fsType: "ext4" },
      reclaimPolicy: "Delete",
      volumeBindingMode: "Immediate",
      allowVolumeExpansion: true,
    },
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "mysql", namespace: "db" },
      spec: {
        serviceName: "mysql",
        replicas: 1,
        selector: { matchLabels: { app: "mysql" } },
        template: {
          metadata: { labels: { app: "mysql" } },
          spec: { containers: [{ name: "main", image: "busybox", command: ["sleep", "3600"], volumeMounts: [{ name: "data", mountPath: "/data" }] }] },
        },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "tb-gp2", resources: { requests: { storage: "1Gi" } } } }],
      },
    },
  ],
};

const exec = (script: string) => kubectl(moor, ["-n", "db", "exec", "mysql-0", "--", "sh", "-c", script]);
const runningPod = async (oldUid?: string) => {
  const pod = (await kubectlJson(moor, ["-n", "db", "get", "pod", "mysql-0"])) as any;
  return pod.status.phase === "Running" && pod.metadata.uid !== oldUid ? pod : undefined;
};
const describeVolumes = async () => JSON.parse((await aws(moor, ["ec2", "describe-volumes"])).stdout).Volumes as any[];

it("keeps a StatefulSet's data on its block volume across the pod's deletion, within its size, and grows it", async () => {
  await kubectlOk(moor, ["apply", "-f", "-"], JSON.stringify(manifests));
  const first = await waitFor("mysql-0 to run", () => runningPod(), 90_000);
  assert.match(first.spec.nodeName, /^ip-10-42-/);
  const written = await exec("echo kept > /data/record && sync && cat /data/record");
  assert.equal(written.stdout.trim(), "kept", written.stderr);

  const pvc = await kubectlJson(moor, ["-n", "db", "get", "pvc", "data-mysql-0"]);
  const pv = await kubectlJson(moor, ["get", "pv", pvc.spec.volumeName]);
  const volumeId = pv.spec.csi.volumeHandle;
  const [listed] = await describeVolumes();
  assert.equal(listed.VolumeId, volumeId);
  assert.equal(listed.Size, 1);
  assert.equal(listed.State, "in-use");
  assert.equal(listed.AvailabilityZone, "us-east-1a");
  assert.equal(listed.Attachments[0].InstanceId, first.spec.nodeName);

  await kubectlOk(moor, ["-n", "db", "delete", "pod", "mysql-0", "--wait=true"]);
  await waitFor("mysql-0 to run again", () => runningPod(first.metadata.uid), 90_000);
  assert.equal((await exec("cat /data/record")).stdout.trim(), "kept");

  const full = await exec("dd if=/dev/zero of=/data/big bs=1M count=1100 2>&1; rm -f /data/big");
  assert.match(full.stdout + full.stderr, /No space left on device/);

  await kubectlOk(moor, ["-n", "db", "patch", "pvc", "data-mysql-0", "-p", JSON.stringify({ spec: { resources: { requests: { storage: "2Gi" } } } })]);
  // Online growth needs CAP_SYS_RESOURCE; without it the claim waits, as upstream's does, for the pod's restart.
  const resized = await waitFor("the claim to grow or wait for a restart", async () => {
    const status = (await kubectlJson(moor, ["-n", "db", "get", "pvc", "data-mysql-0"])).status;
    if (status.capacity.storage === "2Gi") return "online";
    return status.conditions?.some((condition: any) => condition.type === "FileSystemResizePending") && "pending";
  }, 60_000);
  if (resized === "pending") {
    const before = await runningPod();
    await kubectlOk(moor, ["-n", "db", "delete", "pod", "mysql-0", "--wait=true"]);
    await waitFor("mysql-0 to run after the resize", () => runningPod(before.metadata.uid), 90_000);
    await waitFor("the claim to report 2Gi", async () => (await kubectlJson(moor, ["-n", "db", "get", "pvc", "data-mysql-0"])).status.capacity.storage === "2Gi", 60_000);
  }
  const sizeKiB = Number((await exec("df -k /data | tail -1")).stdout.trim().split(/\s+/)[1]);
  assert.ok(sizeKiB > 1.8 * 1024 * 1024, `df says ${sizeKiB} KiB`);
  assert.equal((await describeVolumes())[0].Size, 2);
  assert.equal((await exec("cat /data/record")).stdout.trim(), "kept");
});

it("keeps a Fargate pod asking for a block volume Pending with Fargate's words", async () => {
  const claim = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "ebs-claim", namespace: "default" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "tb-gp2", resources: { requests: { storage: "1Gi" } } } };
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "on-fargate", namespace: "default" }, spec: { containers: [{ name: "main", image: "busybox", command: ["sleep", "60"], volumeMounts: [{ name: "data", mountPath: "/data" }] }], volumes: [{ name: "data", persistentVolumeClaim: { claimName: "ebs-claim" } }] } };
  await kubectlOk(moor, ["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items: [claim, pod] }));
  const message = await waitFor("the fargate-scheduler's refusal", async () => {
    const events = (await kubectlJson(moor, ["get", "events", "--field-selector", "involvedObject.name=on-fargate"])).items as any[];
    // While the claim is still being provisioned the refusal is the unbound-claim one; then Fargate's.
    return events.find((event) => event.reason === "FailedScheduling" && event.message.startsWith("Pod not supported on Fargate"))?.message;
  });
  const volumeName = (await kubectlJson(moor, ["get", "pvc", "ebs-claim"])).spec.volumeName;
  assert.equal(message, `Pod not supported on Fargate: volumes not supported: data not supported because: PVC ebs-claim bound to invalid PV ${volumeName} with CSI Driver: ebs.csi.aws.com`);
  assert.equal((await kubectlJson(moor, ["get", "pod", "on-fargate"])).status.phase, "Pending");
  await kubectlOk(moor, ["delete", "pod", "on-fargate", "--wait=true"]);
  await kubectlOk(moor, ["delete", "pvc", "ebs-claim", "--wait=true"]);
});

it("removes the volume's data with its claim under reclaim Delete", async () => {
  const volumeId = (await describeVolumes()).find((volume) => volume.Tags?.some((tag: any) => tag.Value === "data-mysql-0"))!.VolumeId;
  const file = join(moor.home, "volumes", `${volumeId}.img`);
  assert.ok(existsSync(file));
  await kubectlOk(moor, ["-n", "db", "delete", "statefulset", "mysql", "--wait=true"]);
  await waitFor("mysql-0 to go", async () => (await kubectl(moor, ["-n", "db", "get", "pod", "mysql-0"])).code !== 0, 60_000);
  await kubectlOk(moor, ["-n", "db", "delete", "pvc", "data-mysql-0", "--wait=true"]);
  await waitFor("the volume to go", async () => !(await describeVolumes()).some((volume) => volume.VolumeId === volumeId), 60_000);
  assert.equal(existsSync(file), false);
});
