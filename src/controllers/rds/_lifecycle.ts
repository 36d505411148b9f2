// One DB instance's step towards what its status asks: a server (pod, volume claim, init
// script) while it should run, restarted when its size, storage, groups or a reboot ask; the
// endpoint's DNS record once the server answers; creating → backing-up → available, and
// stopping → stopped, deleting → gone (a final snapshot keeps the volume).

import type { Clock } from "../../clock/mod.js";
import { type DBInstanceObject, dbInstanceKind, dbSnapshotKind, engineFacts, rdsApiVersion, rdsNamespace, wantsServer } from "../../domain/rds/mod.js";
import { dnsRecordKind } from "../../domain/dns/mod.js";
import { parseQuantity } from "../../domain/quantity/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import type { Recorder } from "../../events/mod.js";
import type { ReconcileResult } from "../runtime/mod.js";
import type { ServerImageSource } from "./_images.js";
import { claim, claimName, dnsRecord, dnsRecordName, initScript, pod, serverSpecHash, specHashAnnotation } from "./_objects.js";

export interface LifecycleContext {
  store: Store;
  clock: Clock;
  region: string;
  accountId: string;
  images: ServerImageSource;
  recorder: Recorder;
}

/** How long the first automated backup takes after creation (RDS: minutes). */
export const backupMs = 1_000;
const pollMs = 500;
const dnsSettleMs = 200;
/** How long a new server answers before its instance says it is reachable. */
export const settleMs = 1_000;

function setStatus(context: LifecycleContext, instance: DBInstanceObject, change: Partial<DBInstanceObject["status"]>): void {
  const current = context.store.get({ kind: dbInstanceKind, name: instance.metadata.name });
  if (!current) return;
  const since = change.status && change.status !== current.status.status ? { since: context.clock.now().toISOString() } : {};
  context.store.update({ ...current, status: { ...current.status, ...change, ...since } });
}

function remove(store: Store, kind: string, name: string, namespace = ""): boolean {
  const found = store.get({ kind, namespace, name });
  if (found && !found.metadata.deletionTimestamp) store.delete({ kind, namespace, name });
  return Boolean(found);
}

function ensure(store: Store, object: StoredObject): StoredObject {
  return store.get({ kind: object.kind, namespace: object.metadata.namespace ?? "", name: object.metadata.name }) ?? store.create(object);
}

function isReady(server: StoredObject | undefined): server is StoredObject {
  const ready = (server?.status?.conditions ?? []).some((condition: { type: string; status: string }) => condition.type === "Ready" && condition.status === "True");
  return ready && Boolean(server?.status?.podIP) && !server?.metadata.deletionTimestamp;
}

/** The server is gone (its pod deleted and finished); the endpoint record with it. */
function stopServer(context: LifecycleContext, instance: DBInstanceObject): boolean {
  remove(context.store, dnsRecordKind, dnsRecordName(instance.metadata.name));
  return !remove(context.store, "Pod", instance.metadata.name, rdsNamespace);
}

function finishDelete(context: LifecycleContext, instance: DBInstanceObject): void {
  const { store } = context;
  const volumeClaim = store.get({ kind: "PersistentVolumeClaim", namespace: rdsNamespace, name: claimName(instance) });
  const snapshot = instance.status.finalSnapshotIdentifier;
  if (snapshot && volumeClaim?.spec?.volumeName) {
    const volume = store.get({ kind: "PersistentVolume", name: volumeClaim.spec.volumeName });
    if (volume && volume.spec?.persistentVolumeReclaimPolicy !== "Retain") store.update({ ...volume, spec: { ...volume.spec, persistentVolumeReclaimPolicy: "Retain" } });
    if (!store.get({ kind: dbSnapshotKind, name: snapshot })) {
      store.create({
        apiVersion: rdsApiVersion,
        kind: dbSnapshotKind,
        metadata: { name: snapshot },
        spec: { identifier: snapshot, instanceIdentifier: instance.spec.identifier, engine: instance.spec.engine, engineVersion: instance.spec.engineVersion, allocatedStorageGiB: instance.spec.allocatedStorageGiB, persistentVolume: volumeClaim.spec.volumeName, createTime: context.clock.now().toISOString() },
      });
    }
  }
  remove(store, "PersistentVolumeClaim", claimName(instance), rdsNamespace);
  remove(store, "ConfigMap", `${instance.metadata.name}-init`, rdsNamespace);
  store.delete({ kind: dbInstanceKind, name: instance.metadata.name });
}

/** Grows the claim to the allocated storage; true once the volume has the size (the server may restart). */
function storageReady(context: LifecycleContext, instance: DBInstanceObject): boolean {
  const { store } = context;
  const current = ensure(store, claim(instance));
  const wanted = `${instance.spec.allocatedStorageGiB}Gi`;
  if ((parseQuantity(current.spec?.resources?.requests?.storage) ?? 0) < (parseQuantity(wanted) ?? 0)) {
    store.update({ ...current, spec: { ...current.spec, resources: { requests: { storage: wanted } } } });
    return false;
  }
  const volume = current.spec?.volumeName ? store.get({ kind: "PersistentVolume", name: current.spec.volumeName }) : undefined;
  return !volume || (parseQuantity(volume.spec?.capacity?.storage) ?? 0) >= (parseQuantity(wanted) ?? 0);
}

/** The server's image reference; undefined while it is being made, or once the instance failed. */
function serverImage(context: LifecycleContext, instance: DBInstanceObject): string | undefined {
  const server = engineFacts(instance.spec.engine)!.server;
  const image = context.images.state(server, new Date(instance.status.since).getTime());
  if ("ready" in image) return image.ready;
  if ("failed" in image) {
    const message = `Cannot run DB instance ${JSON.stringify(instance.spec.identifier)}: building its ${server} server image failed: ${image.failed}`;
    context.recorder.record(instance as unknown as StoredObject, "Warning", "ServerImageFailed", message);
    setStatus(context, instance, { status: "failed", failure: message });
  }
  return undefined;
}

export function reconcileInstance(context: LifecycleContext, instance: DBInstanceObject): ReconcileResult {
  const { store } = context;
  const { status } = instance.status;
  if (status === "deleting") {
    if (!stopServer(context, instance)) return pollMs;
    finishDelete(context, instance);
    return;
  }
  if (!wantsServer(status)) {
    if (!stopServer(context, instance)) return pollMs;
    if (status === "stopping") setStatus(context, instance, { status: "stopped", address: undefined });
    return;
  }
  const image = serverImage(context, instance);
  if (image === undefined) return instance.status.status === "failed" ? undefined : pollMs;
  ensure(store, { apiVersion: "v1", kind: "Namespace", metadata: { name: rdsNamespace } });
  if (instance.spec.engine !== "postgres") ensure(store, initScript(instance));
  if (!storageReady(context, instance)) return pollMs;
  const server = store.get({ kind: "Pod", namespace: rdsNamespace, name: instance.metadata.name });
  if (server && server.metadata.annotations?.[specHashAnnotation] !== serverSpecHash(instance)) {
    stopServer(context, instance);
    return pollMs;
  }
  if (!server) {
    // The instance keeps its address (as its network interface does on AWS): the new sandbox
    // asks for the node it had, once the scheduler has removed that node with the old sandbox.
    const previous = instance.status.nodeName;
    if (previous && store.get({ kind: "Node", name: previous })) return pollMs;
    store.create(pod(instance, image, previous));
    return pollMs;
  }
  if (!isReady(server)) return pollMs;
  const record = dnsRecord(instance, server.status.podIP, context.accountId, context.region);
  const existing = store.get({ kind: dnsRecordKind, name: record.metadata.name });
  // The endpoint's record is written one step before the status says so: the DNS controller
  // publishes it in between (milliseconds), so a client told `available` resolves the new address.
  if (!existing) {
    store.create(record);
    return dnsSettleMs;
  }
  if (JSON.stringify(existing.spec) !== JSON.stringify(record.spec)) {
    store.update({ ...existing, spec: record.spec });
    return dnsSettleMs;
  }
  if (instance.status.serverUid !== server.metadata.uid) {
    // A new server is reachable once the security groups' rules know its interface: a moment
    // after it answers its own probe, which the status waits for.
    setStatus(context, instance, { nodeName: server.spec?.nodeName, serverUid: server.metadata.uid, serverReadyAt: context.clock.now().toISOString() });
    return settleMs;
  }
  const readyForMs = context.clock.now().getTime() - new Date(instance.status.serverReadyAt ?? 0).getTime();
  if (readyForMs < settleMs) return settleMs - readyForMs;
  if (status === "creating") {
    setStatus(context, instance, { status: "backing-up", address: server.status.podIP });
    return backupMs;
  }
  if (status === "backing-up") {
    const waitedMs = context.clock.now().getTime() - new Date(instance.status.since).getTime();
    if (waitedMs < backupMs) return backupMs - waitedMs;
  }
  if (status !== "available" || instance.status.address !== server.status.podIP) setStatus(context, instance, { status: "available", address: server.status.podIP });
  return;
}
