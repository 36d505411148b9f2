import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import { createMemoryStore, type Store, type StoredObject } from "../../store/mod.js";
import { createRdsController, createServerImageSource, presentImages } from "./mod.js";

function instance(status: string, spec: Record<string, unknown> = {}): StoredObject {
  return {
    apiVersion: "rds.moor.dev/v1",
    kind: "DBInstance",
    metadata: { name: "wp-db" },
    spec: {
      identifier: "wp-db", instanceClass: "db.t3.micro", engine: "mysql", engineVersion: "8.0.40", masterUsername: "admin", masterUserPassword: "Sup3rSecret!", dbName: "wordpress",
      allocatedStorageGiB: 20, storageType: "gp2", port: 3306, subnetGroupName: "wp", vpcId: "vpc-1", availabilityZone: "us-east-1b", subnetId: "subnet-042a0000000000002",
      securityGroupIds: ["sg-1"], publiclyAccessible: false, multiAz: false, backupRetentionPeriod: 1, deletionProtection: false, dbiResourceId: "db-X", createTime: "2026-01-01T00:00:00.000Z", tags: [],
      ...spec,
    },
    status: { status, since: "2026-01-01T00:00:00.000Z" },
  };
}

async function run(store: Store, clock: FakeClock, act: () => void | Promise<void> = () => {}) {
  const controller = createRdsController({ store, clock, region: "us-east-1", accountId: "000000000000", images: presentImages({ mariadb: "mariadb:test", postgres: "postgres:test" }) });
  await controller.start();
  await act();
  await controller.settled();
  await controller.stop();
}

const server = (store: Store) => store.get({ kind: "Pod", namespace: "aws-rds", name: "wp-db" });
const status = (store: Store) => store.get({ kind: "DBInstance", name: "wp-db" })?.status.status;

function markReady(store: Store, address = "10.42.16.7"): void {
  const pod = server(store)!;
  store.update({ ...pod, status: { phase: "Running", podIP: address, conditions: [{ type: "Ready", status: "True" }] } });
}

describe("RDS controller", () => {
  it("runs a creating instance as a sandbox pod in its subnet with its groups, on a claim in its zone", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    store.create(instance("creating"));
    await run(store, clock);
    const pod = server(store)!;
    assert.equal(pod.metadata.annotations?.["moor.dev/subnet-ids"], "subnet-042a0000000000002");
    assert.equal(pod.metadata.annotations?.["moor.dev/security-group-ids"], "sg-1");
    assert.equal(pod.spec.containers[0].image, "mariadb:test");
    assert.deepEqual(pod.spec.containers[0].env.map((entry: any) => entry.name), ["MYSQL_ROOT_PASSWORD", "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_DATABASE"]);
    const claim = store.get({ kind: "PersistentVolumeClaim", namespace: "aws-rds", name: "wp-db-data" })!;
    assert.equal(claim.spec.resources.requests.storage, "20Gi");
    assert.equal(claim.metadata.annotations?.["moor.dev/zone"], "us-east-1b");
    assert.ok(store.get({ kind: "Namespace", name: "aws-rds" }));
    assert.equal(status(store), "creating");
  });

  it("goes backing-up once the server answers, available after the backup, and publishes the endpoint's name", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    store.create(instance("creating"));
    await run(store, clock);
    await run(store, clock, () => markReady(store));
    assert.equal(status(store), "creating", "the endpoint's record is published a step before the status says so");
    clock.advance(200);
    await run(store, clock);
    assert.equal(status(store), "creating", "a new server is given a moment for the security groups' rules");
    clock.advance(1_000);
    await run(store, clock);
    assert.equal(status(store), "backing-up");
    const record = store.get({ kind: "DnsRecord", name: "rds-wp-db" })!;
    assert.match(record.spec.name, /^wp-db\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/);
    assert.deepEqual(record.spec.addresses, ["10.42.16.7"]);
    clock.advance(1_000);
    await run(store, clock);
    assert.equal(status(store), "available");
  });

  it("restarts the server for a reboot and for a new class, and stops it for stopping", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    store.create(instance("available"));
    await run(store, clock);
    const first = server(store)!;
    const current = store.get({ kind: "DBInstance", name: "wp-db" })!;
    await run(store, clock, () => void store.update({ ...current, status: { ...current.status, status: "rebooting", rebootGeneration: 1 } }));
    assert.notEqual(server(store)?.metadata.uid, first.metadata.uid);
    assert.equal(status(store), "rebooting");
    await run(store, clock, () => markReady(store));
    clock.advance(200);
    await run(store, clock);
    clock.advance(1_000);
    await run(store, clock);
    assert.equal(status(store), "available");
    const available = store.get({ kind: "DBInstance", name: "wp-db" })!;
    await run(store, clock, () => void store.update({ ...available, status: { ...available.status, status: "stopping" } }));
    assert.equal(server(store), undefined);
    assert.equal(status(store), "stopped");
    assert.equal(store.get({ kind: "DnsRecord", name: "rds-wp-db" }), undefined);
  });

  it("removes the server, its claim and the instance when deleting, keeping the volume for a final snapshot", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    store.create(instance("available"));
    await run(store, clock);
    const claim = store.get({ kind: "PersistentVolumeClaim", namespace: "aws-rds", name: "wp-db-data" })!;
    store.create({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pvc-1" }, spec: { persistentVolumeReclaimPolicy: "Delete", capacity: { storage: "20Gi" } } });
    store.update({ ...claim, spec: { ...claim.spec, volumeName: "pvc-1" } });
    const current = store.get({ kind: "DBInstance", name: "wp-db" })!;
    await run(store, clock, () => void store.update({ ...current, status: { ...current.status, status: "deleting", finalSnapshotIdentifier: "final" } }));
    assert.equal(store.get({ kind: "DBInstance", name: "wp-db" }), undefined);
    assert.equal(server(store), undefined);
    assert.equal(store.get({ kind: "PersistentVolumeClaim", namespace: "aws-rds", name: "wp-db-data" }), undefined);
    assert.equal(store.get({ kind: "PersistentVolume", name: "pvc-1" })!.spec.persistentVolumeReclaimPolicy, "Retain");
    assert.equal(store.get({ kind: "DBSnapshot", name: "final" })!.spec.persistentVolume, "pvc-1");
  });

  it("builds a missing server image once for instances created together, keeping them creating, and fails them if the build fails", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock(new Date("2026-01-01T00:00:10.000Z"));
    const present = new Set<string>();
    const builds: { server: string; settle: (error?: Error) => void }[] = [];
    const images = createServerImageSource({
      references: { mariadb: "mariadb:test", postgres: "postgres:test" },
      present: (reference) => present.has(reference),
      build: (server) => new Promise<void>((resolve, reject) => builds.push({ server, settle: (error) => (error ? reject(error) : resolve()) })),
      clock,
    });
    const settle = async (error?: Error) => {
      builds.at(-1)!.settle(error);
      await new Promise((resolve) => setImmediate(resolve));
    };
    const runWith = async () => {
      const controller = createRdsController({ store, clock, region: "us-east-1", accountId: "000000000000", images });
      await controller.start();
      await controller.settled();
      await controller.stop();
    };
    store.create(instance("creating"));
    store.create({ ...instance("creating"), metadata: { name: "other-db" }, spec: { ...instance("creating").spec, identifier: "other-db" } });
    await runWith();
    await runWith();
    assert.deepEqual(builds.map((build) => build.server), ["mariadb"], "one build for both instances");
    assert.equal(server(store), undefined, "no sandbox before the image exists");
    assert.equal(status(store), "creating");
    await settle(new Error("Step 2/9 : RUN apt-get install: exit code 100"));
    await runWith();
    assert.equal(status(store), "failed");
    assert.equal(store.get({ kind: "DBInstance", name: "other-db" })?.status.status, "failed");
    assert.match(store.get({ kind: "DBInstance", name: "wp-db" })!.status.failure, /building its mariadb server image failed: Step 2\/9 : RUN apt-get install: exit code 100/);
    const events = store.list("Event", { namespace: "default" }).items.filter((event) => event.reason === "ServerImageFailed");
    assert.deepEqual(events.map((event) => event.involvedObject.name).sort(), ["other-db", "wp-db"]);
    assert.equal(server(store), undefined);
    // An instance created after the failure builds again, and runs once the image is there.
    clock.advance(1_000);
    store.create({ ...instance("creating"), metadata: { name: "late-db" }, spec: { ...instance("creating").spec, identifier: "late-db" }, status: { status: "creating", since: clock.now().toISOString() } });
    await runWith();
    assert.equal(builds.length, 2);
    present.add("mariadb:test");
    await settle();
    await runWith();
    assert.equal(store.get({ kind: "Pod", namespace: "aws-rds", name: "late-db" })?.spec.containers[0].image, "mariadb:test");
    assert.equal(status(store), "failed", "a failed instance stays failed");
  });

  it("builds the server image again when Moor starts with a running instance whose image is gone, keeping the instance available", async () => {
    const store = createMemoryStore();
    const clock = new FakeClock(new Date("2026-01-01T00:00:10.000Z"));
    store.create(instance("available"));
    const built: string[] = [];
    const images = createServerImageSource({ references: { mariadb: "mariadb:test", postgres: "postgres:test" }, present: () => false, build: async (server) => void built.push(server), clock });
    const controller = createRdsController({ store, clock, region: "us-east-1", accountId: "000000000000", images });
    await controller.start();
    await controller.settled();
    await controller.stop();
    assert.deepEqual(built, ["mariadb"]);
    assert.equal(status(store), "available");
  });
});
