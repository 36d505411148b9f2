// Scenario 5 of the stateful issue: each misconfiguration fails as on AWS, with its event text,
// and fixing the cause lets the pod start without recreating it.

import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { awsJson, createAccessPoint, createFileSystem, createMountTargets } from "./_efs.js";

let moor: MoorUnderTest;
before(async () => {
  moor = await startMoor();
});
after(async () => {
  await moor?.dispose();
});

function staticVolume(name: string, handle: string, pod: Record<string, unknown> = {}): string {
  return JSON.stringify({
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
          containers: [{ name: "app", image: "busybox", command: ["sleep", "3600"], volumeMounts: [{ name: "data", mountPath: "/data" }] }],
          volumes: [{ name: "data", persistentVolumeClaim: { claimName: `${name}-claim` } }],
          ...pod,
        },
      },
    ],
  });
}

async function eventFor(pod: string, reason: string): Promise<string> {
  return waitFor(`a ${reason} event for ${pod}`, async () => {
    const events = (await kubectlJson(moor, ["get", "events", "--field-selector", `involvedObject.name=${pod}`])).items;
    return events.find((event: any) => event.reason === reason)?.message as string | undefined;
  }, 30_000);
}

async function phase(pod: string): Promise<{ phase: string; waiting?: string }> {
  const object = await kubectlJson(moor, ["get", "pod", pod]);
  return { phase: object.status.phase, waiting: object.status.containerStatuses?.[0]?.state?.waiting?.reason };
}

it("waits in ContainerCreating without a mount target in the pod's zone, and starts once one exists", async () => {
  const fileSystemId = await createFileSystem(moor, "no-mount-target");
  await kubectlOk(moor, ["apply", "-f", "-"], staticVolume("nomt", fileSystemId));
  const message = await eventFor("nomt", "FailedMount");
  assert.match(message, /^MountVolume\.SetUp failed for volume "data" : /);
  assert.match(message, new RegExp(`file system "${fileSystemId}" has no available mount target in availability zone "us-east-1[abc]"`));
  assert.equal((await phase("nomt")).waiting, "ContainerCreating");
  await createMountTargets(moor, fileSystemId);
  await kubectlOk(moor, ["wait", "--for=condition=Ready", "pod/nomt", "--timeout=60s"]);
});

it("refuses the mount when the file-system policy does not allow ClientMount", async () => {
  const fileSystemId = await createFileSystem(moor, "policy-denies");
  await createMountTargets(moor, fileSystemId);
  const policy = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: { AWS: "*" }, Action: "elasticfilesystem:ClientMount", Resource: "*" }] };
  await awsJson(moor, ["efs", "put-file-system-policy", "--file-system-id", fileSystemId, "--policy", JSON.stringify(policy), "--bypass-policy-lockout-safety-check"]);
  await kubectlOk(moor, ["apply", "-f", "-"], staticVolume("denied", fileSystemId));
  assert.match(await eventFor("denied", "FailedMount"), /access denied by server/);
  await awsJson(moor, ["efs", "delete-file-system-policy", "--file-system-id", fileSystemId]);
  await kubectlOk(moor, ["wait", "--for=condition=Ready", "pod/denied", "--timeout=60s"]);
});

it("refuses an access point whose root directory is missing and has no CreationInfo", async () => {
  const fileSystemId = await createFileSystem(moor, "missing-root");
  await createMountTargets(moor, fileSystemId);
  const accessPointId = await createAccessPoint(moor, fileSystemId, ["--root-directory", "Path=/absent"]);
  await kubectlOk(moor, ["apply", "-f", "-"], staticVolume("noroot", `${fileSystemId}::${accessPointId}`));
  assert.match(await eventFor("noroot", "FailedMount"), new RegExp(`root directory "/absent" of access point "${accessPointId}" does not exist and the access point has no CreationInfo`));
  assert.equal((await phase("noroot")).waiting, "ContainerCreating");
});

it("keeps a pod Fargate refuses Pending with the fargate-scheduler's FailedScheduling text", async () => {
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "privileged" }, spec: { hostNetwork: true, containers: [{ name: "app", image: "busybox", command: ["sleep", "1"], securityContext: { privileged: true } }] } };
  await kubectlOk(moor, ["apply", "-f", "-"], JSON.stringify(pod));
  assert.equal(await eventFor("privileged", "FailedScheduling"), "Pod not supported on Fargate: fields not supported: HostNetwork, invalid SecurityContext fields: Privileged");
  assert.equal((await phase("privileged")).phase, "Pending");
});

it("says a first-consumer claim waits for its consumer in describe", async () => {
  const storageClass = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "later" }, provisioner: "efs.csi.aws.com", volumeBindingMode: "WaitForFirstConsumer", parameters: { provisioningMode: "efs-ap", fileSystemId: "fs-0123456789abcdef0" } };
  const claim = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "later-claim" }, spec: { accessModes: ["ReadWriteMany"], storageClassName: "later", resources: { requests: { storage: "1Gi" } } } };
  await kubectlOk(moor, ["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items: [storageClass, claim] }));
  const described = await waitFor("describe to show the wait", async () => {
    const text = await kubectlOk(moor, ["describe", "pvc", "later-claim"]);
    return /waiting for first consumer to be created before binding/.test(text) ? text : undefined;
  }, 30_000);
  assert.match(described, /Status:\s+Pending/);
});
