import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import { createMemoryStore, type Store, type StoredObject } from "../../store/mod.js";
import { type BlockVolumeStorage, createBlockVolumeAttachments, createVolumeController, ensureBlockStorageClasses } from "./mod.js";

class FakeBlockStorage implements BlockVolumeStorage {
  sizes = new Map<string, number>();
  /** Whether a resize of a staged volume must wait for its next staging. */
  online = true;
  async create(volumeId: string, sizeBytes: number) {
    if (!this.sizes.has(volumeId)) this.sizes.set(volumeId, sizeBytes);
  }
  async expand(volumeId: string, sizeBytes: number) {
    this.sizes.set(volumeId, sizeBytes);
    return this.online ? ("done" as const) : ("pending" as const);
  }
  async remove(volumeId: string) {
    this.sizes.delete(volumeId);
  }
}

const gib = 1024 ** 3;
const noAccessPoints = {} as never;

function blockClass(name: string, extra: Record<string, unknown> = {}): StoredObject {
  return { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name }, provisioner: "ebs.csi.aws.com", parameters: { type: "gp2", fsType: "ext4" }, reclaimPolicy: "Delete", volumeBindingMode: "Immediate", ...extra };
}

function claim(name: string, spec: Record<string, unknown> = {}): StoredObject {
  return { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace: "db", uid: `uid-${name}` }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1500Mi" } }, ...spec }, status: { phase: "Pending" } };
}

function node(name: string, zone: string): StoredObject {
  return { apiVersion: "v1", kind: "Node", metadata: { name, labels: { "topology.kubernetes.io/zone": zone, "eks.amazonaws.com/nodegroup": "workers" } } };
}

async function run(store: Store, storage: BlockVolumeStorage, act: () => void | Promise<void>) {
  const controller = createVolumeController({ store, accessPoints: noAccessPoints, clusterName: "moor", clock: new FakeClock(), blockVolumes: storage });
  await controller.start();
  await act();
  await controller.settled();
  await controller.stop();
}

const get = (store: Store, kind: string, name: string, namespace = "") => store.get({ kind, name, namespace });
const volumeOf = (store: Store, claimName: string) => get(store, "PersistentVolume", get(store, "PersistentVolumeClaim", claimName, "db")!.spec.volumeName)!;

describe("block volumes in the volume controller", () => {
  it("ensureBlockStorageClasses() writes EKS's default gp2 class (in-tree, WaitForFirstConsumer) and the EBS CSIDriver once", () => {
    const store = createMemoryStore();
    ensureBlockStorageClasses(store);
    ensureBlockStorageClasses(store);
    const gp2 = get(store, "StorageClass", "gp2")!;
    assert.equal(gp2.provisioner, "kubernetes.io/aws-ebs");
    assert.equal(gp2.volumeBindingMode, "WaitForFirstConsumer");
    assert.equal(gp2.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"], "true");
    assert.ok(get(store, "CSIDriver", "ebs.csi.aws.com"));
  });

  it("provisions an Immediate claim as a vol- volume rounded up to whole GiB in the node group's zone, bound to a CSI PV", async () => {
    const store = createMemoryStore();
    const storage = new FakeBlockStorage();
    store.create(node("ip-10-42-1-9.ec2.internal", "us-east-1b"));
    store.create(blockClass("tb-gp2"));
    await run(store, storage, () => void store.create(claim("data", { storageClassName: "tb-gp2" })));
    const pv = volumeOf(store, "data");
    assert.equal(pv.spec.csi.driver, "ebs.csi.aws.com");
    assert.match(pv.spec.csi.volumeHandle, /^vol-[0-9a-f]{17}$/);
    assert.equal(pv.spec.capacity.storage, "2Gi");
    const volume = get(store, "Volume", pv.spec.csi.volumeHandle)!;
    assert.equal(volume.spec.availabilityZone, "us-east-1b");
    assert.equal(volume.status.state, "available");
    assert.equal(storage.sizes.get(pv.spec.csi.volumeHandle), 2 * gib);
    assert.equal(get(store, "PersistentVolumeClaim", "data", "db")!.status.phase, "Bound");
  });

  it("gives the in-tree gp2 class an awsElasticBlockStore PV once a consumer selected a node", async () => {
    const store = createMemoryStore();
    ensureBlockStorageClasses(store);
    store.create(node("ip-10-42-2-9.ec2.internal", "us-east-1c"));
    await run(store, new FakeBlockStorage(), () => void store.create(claim("data")));
    assert.equal(get(store, "PersistentVolumeClaim", "data", "db")!.status.phase, "Pending");
    const waiting = get(store, "PersistentVolumeClaim", "data", "db")!;
    await run(store, new FakeBlockStorage(), () => void store.update({ ...waiting, metadata: { ...waiting.metadata, annotations: { "volume.kubernetes.io/selected-node": "ip-10-42-2-9.ec2.internal" } } }));
    assert.match(volumeOf(store, "data").spec.awsElasticBlockStore.volumeID, /^aws:\/\/us-east-1c\/vol-[0-9a-f]{17}$/);
  });

  it("grows the volume when a bound claim asks for more and its class allows expansion, and not otherwise", async () => {
    const store = createMemoryStore();
    const storage = new FakeBlockStorage();
    store.create(blockClass("grows", { allowVolumeExpansion: true }));
    store.create(blockClass("fixed"));
    await run(store, storage, () => {
      store.create(claim("a", { storageClassName: "grows" }));
      store.create(claim("b", { storageClassName: "fixed" }));
    });
    for (const name of ["a", "b"]) {
      const current = get(store, "PersistentVolumeClaim", name, "db")!;
      await run(store, storage, () => void store.update({ ...current, spec: { ...current.spec, resources: { requests: { storage: "3Gi" } } } }));
    }
    assert.equal(get(store, "PersistentVolumeClaim", "a", "db")!.status.capacity.storage, "3Gi");
    assert.equal(storage.sizes.get(volumeOf(store, "a").spec.csi.volumeHandle), 3 * gib);
    assert.equal(get(store, "PersistentVolumeClaim", "b", "db")!.status.capacity.storage, "2Gi");
    assert.ok(store.list("Event").items.some((event) => event.reason === "ExternalExpanding" && /does not allow volume expansion/.test(event.message)));
  });

  it("keeps a resize the kernel could not do online pending (FileSystemResizePending) until the volume is staged again", async () => {
    const store = createMemoryStore();
    const storage = new FakeBlockStorage();
    storage.online = false;
    store.create(blockClass("grows", { allowVolumeExpansion: true }));
    await run(store, storage, () => void store.create(claim("a", { storageClassName: "grows" })));
    const current = get(store, "PersistentVolumeClaim", "a", "db")!;
    await run(store, storage, () => void store.update({ ...current, spec: { ...current.spec, resources: { requests: { storage: "3Gi" } } } }));
    const pending = get(store, "PersistentVolumeClaim", "a", "db")!;
    assert.equal(pending.status.capacity.storage, "2Gi");
    assert.equal(pending.status.conditions[0].type, "FileSystemResizePending");
    const volumeId = volumeOf(store, "a").spec.csi.volumeHandle;
    assert.equal(get(store, "Volume", volumeId)!.spec.sizeGiB, 3);
    await run(store, storage, () => createBlockVolumeAttachments(store, new FakeClock()).staged(volumeId, 3 * gib));
    const grown = get(store, "PersistentVolumeClaim", "a", "db")!;
    assert.equal(grown.status.capacity.storage, "3Gi");
    assert.deepEqual(grown.status.conditions, []);
  });

  it("removes a Delete volume's data with its claim and keeps a Retain one, Released", async () => {
    const store = createMemoryStore();
    const storage = new FakeBlockStorage();
    store.create(blockClass("gone"));
    store.create(blockClass("kept", { reclaimPolicy: "Retain" }));
    await run(store, storage, () => {
      store.create(claim("a", { storageClassName: "gone" }));
      store.create(claim("b", { storageClassName: "kept" }));
    });
    const [a, b] = [volumeOf(store, "a"), volumeOf(store, "b")];
    await run(store, storage, () => {
      store.delete({ kind: "PersistentVolumeClaim", namespace: "db", name: "a" });
      store.delete({ kind: "PersistentVolumeClaim", namespace: "db", name: "b" });
    });
    assert.equal(get(store, "PersistentVolume", a.metadata.name), undefined);
    assert.equal(get(store, "Volume", a.spec.csi.volumeHandle), undefined);
    assert.equal(storage.sizes.has(a.spec.csi.volumeHandle), false);
    assert.equal(get(store, "PersistentVolume", b.metadata.name)!.status.phase, "Released");
    assert.ok(storage.sizes.has(b.spec.csi.volumeHandle));
  });

  it("attaches a volume to one node at a time while a pod there uses it, and records in-use", async () => {
    const store = createMemoryStore();
    store.create(blockClass("tb-gp2"));
    await run(store, new FakeBlockStorage(), () => void store.create(claim("data", { storageClassName: "tb-gp2" })));
    const volumeId = volumeOf(store, "data").spec.csi.volumeHandle;
    const attachments = createBlockVolumeAttachments(store, new FakeClock());
    await attachments.attach(volumeId, "node-a");
    assert.equal(get(store, "Volume", volumeId)!.status.state, "in-use");
    store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "db-0", namespace: "db" }, spec: { nodeName: "node-a", volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }] }, status: { phase: "Running" } });
    await assert.rejects(attachments.attach(volumeId, "node-b"), /^MoorError: Multi-Attach error for volume "pvc-uid-data" Volume is already exclusively attached to one node and can't be attached to another$/);
    await attachments.detach(volumeId, "node-a");
    assert.equal(get(store, "Volume", volumeId)!.status.state, "available");
    await attachments.attach(volumeId, "node-b");
    assert.equal(get(store, "Volume", volumeId)!.status.attachments[0].nodeName, "node-b");
  });
});
