// bench/apps (the block-volume and RDS parts): as root, after a build.
//   node dist/bench/apps.js [--runs N] [--transactions N] [--only volumes|mariadb|rds|loop]
// (1) Block volume create + attach + mount: a 20 GiB volume made (sparse file, mkfs.ext4),
//     staged through a loop device and bound at a pod's path, by the engine pods use. Median.
// (2) MariaDB on a block volume vs the same server on the host disk: two pods of the mariadb
//     example image on a node-group node, one with /var/lib/mysql on a tb-gp2 claim, one on an
//     emptyDir (a directory of the host's disk); each runs N single-row INSERT transactions
//     (autocommit, innodb_flush_log_at_trx_commit=1: one log flush each) in a stored
//     procedure. Transactions per second, best of the runs. Then what one such flush costs on
//     each: dd of 2,000 synchronous 4 KiB direct writes over an allocated file in each pod
//     (O_DIRECT|O_DSYNC, a write and a cache flush each, as InnoDB's log write and fdatasync),
//     µs per write, median of the runs.
// (3) RDS: CreateDBInstance (mysql) → DescribeDBInstances says `available`, through the SDK.
// (4) What the loop device adds per request, without Moor: dd of 2,000 direct 4 KiB writes over
//     an allocated 8 MiB file on the host disk, and over a loop device (direct I/O, as volumes
//     are attached) on such a file in the same directory; without and with O_DSYNC (a write, and
//     a write then a cache flush). µs per write, medians of the runs, alternating.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CreateDBInstanceCommand, CreateDBSubnetGroupCommand, DeleteDBInstanceCommand, DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { BlockVolumeEngine } from "../src/engines/blockvolumes/mod.js";
import { mount, unmount } from "../src/engines/hostmounts/mod.js";
import { mkdir } from "node:fs/promises";
import { moorEntry, repoRoot, run, startMoor, type MoorUnderTest } from "../test/harness.js";
import { kubectl, kubectlOk, waitFor } from "../test/kubectl.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, transactions: { type: "string", default: "2000" }, only: { type: "string" } } });
const runs = Number(values.runs);
const transactions = Number(values.transactions);
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const ms = (value: number) => `${value.toFixed(0)} ms`;

async function blockVolumes(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "moor-bench-ebs-"));
  const engine = new BlockVolumeEngine({ root: join(root, "volumes"), stagingRoot: join(root, "staging") });
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const volumeId = `vol-${String(index).padStart(17, "0")}`;
    const podPath = join(root, "pods", String(index), "data");
    const started = performance.now();
    await engine.create(volumeId, 20 * 1024 ** 3);
    const staging = await engine.stage(volumeId);
    await mkdir(podPath, { recursive: true });
    await mount(staging, podPath, { bind: true });
    times.push(performance.now() - started);
    await unmount(podPath);
    await engine.unstage(volumeId);
    await engine.remove(volumeId);
  }
  rmSync(root, { recursive: true, force: true });
  console.log(`block volume create + attach + mount (20 GiB): median ${ms(median(times))} (all: ${times.map(ms).join(", ")})`);
}

const image = "moor/rds-mariadb:10.11";
const procedure = `CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64)) ENGINE=InnoDB;
DELIMITER //
CREATE PROCEDURE bench(n INT) BEGIN DECLARE i INT DEFAULT 0; WHILE i < n DO INSERT INTO t (v) VALUES ('0123456789abcdef0123456789abcdef'); SET i = i + 1; END WHILE; END//
DELIMITER ;`;

function databasePod(name: string, volume: object) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "bench" },
    spec: {
      containers: [{ name: "mariadb", image, env: [{ name: "MYSQL_ROOT_PASSWORD", value: "bench-password" }, { name: "MYSQL_DATABASE", value: "bench" }], volumeMounts: [{ name: "data", mountPath: "/var/lib/mysql" }] }],
      volumes: [{ name: "data", ...volume }],
    },
  };
}

async function sql(moor: MoorUnderTest, pod: string, statement: string): Promise<string> {
  const result = await kubectl(moor, ["-n", "bench", "exec", pod, "--", "mariadb", "-uroot", "-pbench-password", "-N", "-e", statement, "bench"]);
  if (result.code !== 0) throw new Error(`${pod}: ${result.stderr}`);
  return result.stdout.trim();
}

async function transactionsPerSecond(moor: MoorUnderTest, pod: string): Promise<number> {
  const micros = Number(await sql(moor, pod, `SET @t = NOW(6); CALL bench(${transactions}); SELECT TIMESTAMPDIFF(MICROSECOND, @t, NOW(6))`));
  return transactions / (micros / 1e6);
}

async function mariadbOnBlockVolume(moor: MoorUnderTest): Promise<void> {
  const nodes = await run(process.execPath, [moorEntry, "nodegroup", "create", "bench", "--zone", "us-east-1a", "--nodes", "1"], { env: moor.env });
  if (nodes.code !== 0) throw new Error(nodes.stderr);
  const storageClass = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "tb-gp2" }, provisioner: "ebs.csi.aws.com", parameters: { type: "gp2", fsType: "ext4" }, volumeBindingMode: "Immediate" };
  const claim = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "block", namespace: "bench" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "tb-gp2", resources: { requests: { storage: "20Gi" } } } };
  const items = [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "bench" } }, storageClass, claim, databasePod("on-block", { persistentVolumeClaim: { claimName: "block" } }), databasePod("on-host", { emptyDir: {} })];
  await kubectlOk(moor, ["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items }));
  for (const pod of ["on-block", "on-host"]) {
    await waitFor(`${pod} to answer`, async () => (await sql(moor, pod, "SELECT 1").catch(() => "")) === "1", 180_000);
    await sql(moor, pod, procedure);
  }
  const rates: Record<string, number[]> = { "on-block": [], "on-host": [] };
  for (let index = 0; index < runs; index++) for (const pod of ["on-host", "on-block"]) rates[pod]!.push(await transactionsPerSecond(moor, pod));
  const best = (pod: string) => Math.max(...rates[pod]!);
  const format = (list: number[]) => list.map((rate) => rate.toFixed(0)).join(", ");
  console.log(`MariaDB ${transactions} single-row transactions, on the host disk: best ${best("on-host").toFixed(0)}/s (all: ${format(rates["on-host"]!)})`);
  console.log(`MariaDB ${transactions} single-row transactions, on a block volume: best ${best("on-block").toFixed(0)}/s (all: ${format(rates["on-block"]!)})`);
  console.log(`block volume / host disk: ${((100 * best("on-block")) / best("on-host")).toFixed(0)} %`);
  const writes: Record<string, number[]> = { "on-block": [], "on-host": [] };
  for (const pod of ["on-host", "on-block"]) await syncedWriteMicros(moor, pod, "conv=fsync");
  for (let index = 0; index < runs; index++) for (const pod of ["on-host", "on-block"]) writes[pod]!.push(await syncedWriteMicros(moor, pod, "oflag=direct,dsync"));
  const middle = (pod: string) => median(writes[pod]!);
  console.log(`synchronous 4 KiB direct write, on the host disk: median ${middle("on-host").toFixed(0)} µs (all: ${format(writes["on-host"]!)})`);
  console.log(`synchronous 4 KiB direct write, on a block volume: median ${middle("on-block").toFixed(0)} µs (all: ${format(writes["on-block"]!)})`);
}

// µs per write of dd writing 2,000 blocks of 4 KiB over /var/lib/mysql/sync-probe with `flags`
// (the first call, with conv=fsync, allocates the file so that later ones only overwrite).
async function syncedWriteMicros(moor: MoorUnderTest, pod: string, flags: string): Promise<number> {
  const result = await kubectl(moor, ["-n", "bench", "exec", pod, "--", "dd", "if=/dev/zero", "of=/var/lib/mysql/sync-probe", "bs=4096", "count=2000", "conv=notrunc", ...flags.split(" ")]);
  const seconds = /copied, ([0-9.]+) s/.exec(result.stderr)?.[1];
  if (result.code !== 0 || seconds === undefined) throw new Error(`${pod}: dd: ${result.stderr}`);
  return (Number(seconds) * 1e6) / 2000;
}

async function loopRequests(): Promise<void> {
  const root = mkdtempSync(join("/var/tmp", "moor-bench-loop-"));
  const hostFile = join(root, "host");
  const backing = join(root, "backing");
  let loop: string | undefined;
  try {
    for (const file of [hostFile, backing]) await ddMicros(file, ["conv=fsync"]);
    const attached = await run("losetup", ["--find", "--show", "--direct-io=on", backing]);
    if (attached.code !== 0) throw new Error(attached.stderr);
    loop = attached.stdout.trim();
    for (const [label, flags] of [["direct write", ["oflag=direct"]], ["direct write + flush (O_DSYNC)", ["oflag=direct,dsync"]]] as const) {
      const samples: Record<string, number[]> = { host: [], loop: [] };
      for (let index = 0; index < runs; index++) {
        samples.host!.push(await ddMicros(hostFile, [...flags]));
        samples.loop!.push(await ddMicros(loop, [...flags]));
      }
      const line = (name: string) => `${median(samples[name]!).toFixed(0)} µs (all: ${samples[name]!.map((value) => value.toFixed(0)).join(", ")})`;
      console.log(`4 KiB ${label}: host file ${line("host")}; loop device ${line("loop")}; the loop device adds ${(median(samples.loop!) - median(samples.host!)).toFixed(0)} µs`);
    }
  } finally {
    if (loop) await run("losetup", ["-d", loop]);
    rmSync(root, { recursive: true, force: true });
  }
}

// µs per write of dd writing 2,000 blocks of 4 KiB over `target` (an allocated file or device).
async function ddMicros(target: string, flags: string[]): Promise<number> {
  const result = await run("dd", ["if=/dev/zero", `of=${target}`, "bs=4096", "count=2000", "conv=notrunc", ...flags]);
  const seconds = /copied, ([0-9.]+) s/.exec(result.stderr)?.[1];
  if (result.code !== 0 || seconds === undefined) throw new Error(`dd: ${result.stderr}`);
  return (Number(seconds) * 1e6) / 2000;
}

async function rdsCreateToAvailable(moor: MoorUnderTest): Promise<void> {
  const rds = new RDSClient({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: moor.env.AWS_ACCESS_KEY_ID!, secretAccessKey: moor.env.AWS_SECRET_ACCESS_KEY! } });
  await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "bench", DBSubnetGroupDescription: "bench", SubnetIds: ["subnet-042a0000000000001", "subnet-042a0000000000002"] }));
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const identifier = `bench-${index}`;
    const started = performance.now();
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: identifier, DBInstanceClass: "db.t3.micro", Engine: "mysql", MasterUsername: "admin", MasterUserPassword: "bench-password", AllocatedStorage: 20, DBSubnetGroupName: "bench" }));
    await waitFor(`${identifier} to be available`, async () => (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }))).DBInstances?.[0]?.DBInstanceStatus === "available", 180_000);
    times.push(performance.now() - started);
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: identifier, SkipFinalSnapshot: true }));
  }
  console.log(`RDS create-db-instance → available: median ${ms(median(times))} (all: ${times.map(ms).join(", ")})`);
}

// --only volumes|mariadb|rds|loop runs one part.
const part = (name: string) => values.only === undefined || values.only === name;
if (part("volumes")) await blockVolumes();
if (part("loop")) await loopRequests();
const moor = part("mariadb") || part("rds") ? await startMoor() : undefined;
if (moor) try {
  const built = await run(process.execPath, [moorEntry, "image", "build", "-t", image, join(repoRoot, "examples/images/mariadb")], { env: moor.env, timeoutMs: 1_200_000 });
  if (built.code !== 0) throw new Error(built.stderr);
  if (part("mariadb")) await mariadbOnBlockVolume(moor);
  if (part("rds")) await rdsCreateToAvailable(moor);
} finally {
  await moor.dispose();
}
