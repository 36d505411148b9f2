import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import { createMemoryStore, type Store, type StoredObject } from "../../store/mod.js";
import { type AccessPointPort, createVolumeController } from "./mod.js";

class FakeAccessPoints implements AccessPointPort {
  points = new Map<string, { fileSystemId: string; clientToken: string; gid: number; uid: number; rootPath: string }>();
  removed: string[] = [];
  async create(input: Parameters<AccessPointPort["create"]>[0]) {
    const existing = [...this.points.entries()].find(([, point]) => point.clientToken === input.clientToken);
    if (existing) return { accessPointId: existing[0], posixUser: { uid: existing[1].uid, gid: existing[1].gid }, rootPath: existing[1].rootPath };
    const id = `fsap-${String(this.points.size + 1).padStart(17, "0")}`;
    this.points.set(id, { fileSystemId: input.fileSystemId, clientToken: input.clientToken, ...input.posixUser, rootPath: input.rootDirectory.path });
    return { accessPointId: id, posixUser: input.posixUser, rootPath: input.rootDirectory.path };
  }
  async delete(id: string) {
    this.points.delete(id);
  }
  async usedGids(fileSystemId: string) {
    return [...this.points.values()].filter((point) => point.fileSystemId === fileSystemId).map((point) => point.gid);
  }
  async describe(id: string) {
    const point = this.points.get(id);
    return point && { fileSystemId: point.fileSystemId, rootPath: point.rootPath };
  }
  async removeDirectory(_fileSystemId: string, path: string) {
    this.removed.push(path);
  }
}

const fsId = "fs-0123456789abcdef0";

function claim(name: string, spec: Record<string, unknown> = {}): StoredObject {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: "shop" },
    spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: "5Gi" } }, ...spec },
    status: { phase: "Pending" },
  };
}

function staticVolume(name: string, spec: Record<string, unknown> = {}): StoredObject {
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name },
    spec: {
      capacity: { storage: "5Gi" },
      accessModes: ["ReadWriteMany"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "efs-sc",
      csi: { driver: "efs.csi.aws.com", volumeHandle: `${fsId}::fsap-00000000000000001` },
      ...spec,
    },
  };
}

function efsClass(parameters: Record<string, string> = {}, extra: Record<string, unknown> = {}): StoredObject {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "efs-ap" },
    provisioner: "efs.csi.aws.com",
    parameters: { provisioningMode: "efs-ap", fileSystemId: fsId, directoryPerms: "700", gidRangeStart: "1000", gidRangeEnd: "2000", basePath: "/dynamic", ...parameters },
    reclaimPolicy: "Delete",
    volumeBindingMode: "Immediate",
    ...extra,
  };
}

async function run(store: Store, accessPoints: AccessPointPort, act: () => void | Promise<void>) {
  const controller = createVolumeController({ store, accessPoints, clusterName: "moor", clock: new FakeClock() });
  await controller.start();
  await act();
  await controller.settled();
  await controller.stop();
}

const get = (store: Store, kind: string, name: string, namespace = "") => store.get({ kind, name, namespace });

describe("volume controller", () => {
  it("binds a claim to the static volume of its class and records both sides", async () => {
    const store = createMemoryStore();
    store.create(staticVolume("small", { capacity: { storage: "1Gi" } }));
    store.create(staticVolume("right"));
    store.create(staticVolume("other-class", { storageClassName: "slow" }));
    await run(store, new FakeAccessPoints(), () => void store.create(claim("data", { storageClassName: "efs-sc" })));
    const bound = get(store, "PersistentVolumeClaim", "data", "shop")!;
    assert.equal(bound.spec.volumeName, "right");
    assert.equal(bound.status.phase, "Bound");
    assert.equal(get(store, "PersistentVolume", "right")!.spec.claimRef.name, "data");
    assert.equal(get(store, "PersistentVolume", "right")!.status.phase, "Bound");
  });

  it("honours volumeName, and retains a Retain volume when its claim goes", async () => {
    const store = createMemoryStore();
    store.create(staticVolume("chosen"));
    store.create(staticVolume("other"));
    await run(store, new FakeAccessPoints(), () => void store.create(claim("data", { storageClassName: "efs-sc", volumeName: "chosen" })));
    assert.equal(get(store, "PersistentVolumeClaim", "data", "shop")!.spec.volumeName, "chosen");
    await run(store, new FakeAccessPoints(), () => void store.delete({ kind: "PersistentVolumeClaim", namespace: "shop", name: "data" }));
    assert.equal(get(store, "PersistentVolume", "chosen")!.status.phase, "Released");
  });

  it("waits for the first consumer before binding and says so", async () => {
    const store = createMemoryStore();
    store.create(efsClass({}, { volumeBindingMode: "WaitForFirstConsumer" }));
    await run(store, new FakeAccessPoints(), () => void store.create(claim("data", { storageClassName: "efs-ap" })));
    assert.equal(get(store, "PersistentVolumeClaim", "data", "shop")!.status.phase, "Pending");
    const waiting = store.list("Event").items.find((event) => event.reason === "WaitForFirstConsumer");
    assert.equal(waiting?.message, "waiting for first consumer to be created before binding");
  });

  it("provisions one access point per claim with the lowest free GIDs and deletes it with the claim", async () => {
    const store = createMemoryStore();
    const accessPoints = new FakeAccessPoints();
    store.create(efsClass({ deleteAccessPointRootDir: "true" }));
    await run(store, accessPoints, () => {
      store.create(claim("a", { storageClassName: "efs-ap" }));
      store.create(claim("b", { storageClassName: "efs-ap" }));
    });
    const gids = [...accessPoints.points.values()].map((point) => point.gid).sort();
    assert.deepEqual(gids, [1000, 1001]);
    const a = get(store, "PersistentVolumeClaim", "a", "shop")!;
    const volume = get(store, "PersistentVolume", a.spec.volumeName)!;
    assert.equal(volume.metadata.name, `pvc-${a.metadata.uid}`);
    assert.match(volume.spec.csi.volumeHandle, /^fs-0123456789abcdef0::fsap-/);
    assert.equal(volume.spec.persistentVolumeReclaimPolicy, "Delete");
    assert.ok(store.list("Event").items.some((event) => event.reason === "ProvisioningSucceeded"));
    await run(store, accessPoints, () => void store.delete({ kind: "PersistentVolumeClaim", namespace: "shop", name: "a" }));
    assert.equal(accessPoints.points.size, 1);
    assert.equal(get(store, "PersistentVolume", volume.metadata.name), undefined);
    assert.deepEqual(accessPoints.removed, [`/dynamic/${volume.metadata.name}`]);
  });

  it("reports a provisioning failure on the claim in the driver's words", async () => {
    const store = createMemoryStore();
    store.create(efsClass({ gidRangeStart: "5", gidRangeEnd: "6" }));
    const accessPoints = new FakeAccessPoints();
    await run(store, accessPoints, () => {
      for (const name of ["a", "b", "c"]) store.create(claim(name, { storageClassName: "efs-ap" }));
    });
    const failed = store.list("Event").items.find((event) => event.reason === "ProvisioningFailed");
    assert.match(failed?.message ?? "", /^failed to provision volume with StorageClass "efs-ap": rpc error: code = ResourceExhausted desc = Failed to locate a free GID/);
  });
});
