// The task metadata endpoint's answers, without a network: container and task metadata by the
// id in the URI, only for the task at the asking address; credentials only for that task's id,
// asked of Moor once and then kept until a quarter-hour before they expire; container and task
// stats from a container's cgroups and network namespace (a fake /sys/fs/cgroup and /proc).

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ContainerStatsReader } from "./_stats.js";
import type { TaskMetadata } from "../../domain/ecs/mod.js";
import { type TaskCredentials, TaskMetadataService } from "./mod.js";

const task: TaskMetadata = {
  address: "10.42.0.9",
  task: { Cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/demo", KnownStatus: "RUNNING", LaunchType: "FARGATE" },
  containers: { "abc-0000000001": { DockerId: "abc-0000000001", Name: "app" } },
  credentials: { id: "cred-1", roleArn: "arn:aws:iam::123456789012:role/task", sessionName: "abc" },
};

const credentials = (expiration: string): TaskCredentials => ({ AccessKeyId: "ASIAEXAMPLE", SecretAccessKey: "s", Token: "t", Expiration: expiration, RoleArn: task.credentials!.roleArn });

function service(): TaskMetadataService {
  const metadata = new TaskMetadataService();
  metadata.publish([task]);
  return metadata;
}

const body = (outcome: ReturnType<TaskMetadataService["answer"]>) => ("answer" in outcome ? outcome.answer : assert.fail("expected an answer"));

describe("TaskMetadataService", () => {
  it("answers the container at ${URI}, the task at ${URI}/task, in v4 and v3, to the task's own address only", () => {
    const metadata = service();
    assert.equal(JSON.parse(body(metadata.answer("GET", "/v4/abc-0000000001", "10.42.0.9", 0)).body).Name, "app");
    assert.equal(JSON.parse(body(metadata.answer("GET", "/v4/abc-0000000001/task", "10.42.0.9", 0)).body).LaunchType, "FARGATE");
    assert.equal(JSON.parse(body(metadata.answer("GET", "/v3/abc-0000000001/task", "10.42.0.9", 0)).body).KnownStatus, "RUNNING");
    assert.equal(body(metadata.answer("GET", "/v4/abc-0000000001/task", "10.42.0.10", 0)).status, 404);
    assert.equal(body(metadata.answer("GET", "/v4/other-0000000001/task", "10.42.0.9", 0)).status, 404);
    assert.equal(body(metadata.answer("GET", "/v4/abc-0000000001/stats", "10.42.0.9", 0)).status, 404);
    assert.equal(body(metadata.answer("POST", "/v4/abc-0000000001", "10.42.0.9", 0)).status, 405);
  });

  it("asks for the role's credentials for the task's own id only, then keeps them until near their expiry", () => {
    const metadata = service();
    assert.equal(body(metadata.answer("GET", "/v2/credentials/cred-2", "10.42.0.9", 0)).status, 404);
    assert.equal(body(metadata.answer("GET", "/v2/credentials/cred-1", "10.42.0.10", 0)).status, 404);
    const first = metadata.answer("GET", "/v2/credentials/cred-1", "10.42.0.9", 0);
    assert.ok("issue" in first);
    assert.deepEqual(first.issue, { roleArn: task.credentials!.roleArn, sessionName: "abc" });
    const answer = metadata.credentialsAnswer(first.id, credentials("1970-01-01T01:00:00Z"));
    assert.deepEqual(Object.keys(JSON.parse(answer.body)).sort(), ["AccessKeyId", "Expiration", "RoleArn", "SecretAccessKey", "Token"]);
    assert.equal(JSON.parse(body(metadata.answer("GET", "/v2/credentials/cred-1", "10.42.0.9", 60_000)).body).AccessKeyId, "ASIAEXAMPLE");
    assert.ok("issue" in metadata.answer("GET", "/v2/credentials/cred-1", "10.42.0.9", 46 * 60_000));
    assert.equal(metadata.credentialsAnswer("cred-1", { error: "no STS" }).status, 500);
  });

  it("answers a running container's stats at ${URI}/stats and every container's at ${URI}/task/stats; a container not running has none", () => {
    const reads: string[] = [];
    const metadata = new TaskMetadataService({ read: (sandbox, name, dockerId) => (reads.push(`${sandbox.podUid}/${sandbox.runtimeId} ${name} ${dockerId}`), { id: dockerId, name }) });
    metadata.publish([{ ...task, containers: { ...task.containers, "abc-0000000002": { DockerId: "abc-0000000002", Name: "sidecar" } }, sandboxes: { "abc-0000000001": { podUid: "uid-1", runtimeId: "c1" } } }]);
    assert.deepEqual(JSON.parse(body(metadata.answer("GET", "/v4/abc-0000000001/stats", "10.42.0.9", 0)).body), { id: "abc-0000000001", name: "app" });
    assert.deepEqual(JSON.parse(body(metadata.answer("GET", "/v4/abc-0000000001/task/stats", "10.42.0.9", 0)).body), { "abc-0000000001": { id: "abc-0000000001", name: "app" }, "abc-0000000002": null });
    assert.equal(body(metadata.answer("GET", "/v4/abc-0000000002/stats", "10.42.0.9", 0)).status, 404);
    assert.equal(body(metadata.answer("GET", "/v4/abc-0000000001/stats", "10.42.0.10", 0)).status, 404);
    assert.deepEqual(reads, ["uid-1/c1 app abc-0000000001", "uid-1/c1 app abc-0000000001"]);
  });
});

describe("ContainerStatsReader", () => {
  it("reads cpu, memory, pids, blkio and the namespace's interfaces in Docker's shape; the second read gives precpu, preread and rates", () => {
    const root = mkdtempSync(join(tmpdir(), "moor-stats-"));
    try {
      const cgroup = join(root, "cgroup");
      const proc = join(root, "proc");
      const path = "moor-0123/pod0a1b2c3d4e5f/c1";
      const put = (controller: string, file: string, content: string, at = path) => {
        mkdirSync(join(cgroup, controller, at), { recursive: true });
        writeFileSync(join(cgroup, controller, at, file), content);
      };
      put("cpuacct", "cpuacct.usage", "5000000\n");
      put("cpuacct", "cpuacct.usage_percpu", "3000000 2000000 \n");
      put("cpuacct", "cpuacct.stat", "user 3\nsystem 1\n");
      put("cpuacct", "cgroup.procs", "4242\n");
      put("cpu", "cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 777\n");
      put("memory", "memory.usage_in_bytes", "1048576\n");
      put("memory", "memory.max_usage_in_bytes", "2097152\n");
      put("memory", "memory.limit_in_bytes", "9223372036854771712\n");
      put("memory", "memory.limit_in_bytes", "536870912\n", "moor-0123/pod0a1b2c3d4e5f");
      put("memory", "memory.stat", "cache 4096\nrss 8192\n");
      put("pids", "pids.current", "3\n");
      put("blkio", "blkio.throttle.io_service_bytes_recursive", "253:0 Read 4096\n253:0 Write 8192\nTotal 12288\n");
      mkdirSync(join(proc, "4242", "net"), { recursive: true });
      const dev = (rx: number, tx: number) =>
        `Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo colls carrier compressed\n    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n  eth0: ${rx} 10 0 0 0 0 0 0 ${tx} 5 0 0 0 0 0 0\n`;
      writeFileSync(join(proc, "4242", "net", "dev"), dev(1000, 500));
      writeFileSync(join(proc, "stat"), "cpu  100 0 50 800 10 0 5 0 0 0\ncpu0 1 2 3\n");
      const reader = new ContainerStatsReader({ cgroup, proc });
      const sandbox = { podUid: "0a1b2c3d-4e5f", runtimeId: "c1" };
      const first = reader.read(sandbox, "app", "abc-1", Date.parse("2026-12-02T10:00:00Z")) as any;
      assert.equal(first.preread, "0001-01-01T00:00:00Z");
      assert.deepEqual(first.cpu_stats.cpu_usage, { total_usage: 5_000_000, percpu_usage: [3_000_000, 2_000_000], usage_in_kernelmode: 10_000_000, usage_in_usermode: 30_000_000 });
      assert.equal(first.cpu_stats.system_cpu_usage, 965 * 10_000_000);
      assert.deepEqual(first.cpu_stats.throttling_data, { periods: 10, throttled_periods: 2, throttled_time: 777 });
      assert.deepEqual(first.memory_stats, { usage: 1_048_576, max_usage: 2_097_152, stats: { cache: 4096, rss: 8192 }, limit: 536_870_912 });
      assert.deepEqual(first.pids_stats, { current: 3 });
      assert.deepEqual(first.blkio_stats.io_service_bytes_recursive, [{ major: 253, minor: 0, op: "Read", value: 4096 }, { major: 253, minor: 0, op: "Write", value: 8192 }]);
      assert.deepEqual(Object.keys(first.networks), ["eth0"]);
      assert.deepEqual([first.networks.eth0.rx_bytes, first.networks.eth0.tx_packets], [1000, 5]);
      assert.deepEqual([first.name, first.id], ["app", "abc-1"]);
      writeFileSync(join(proc, "4242", "net", "dev"), dev(3000, 1500));
      const second = reader.read(sandbox, "app", "abc-1", Date.parse("2026-12-02T10:00:02Z")) as any;
      assert.equal(second.preread, "2026-12-02T10:00:00.000Z");
      assert.equal(second.precpu_stats.cpu_usage.total_usage, 5_000_000);
      assert.deepEqual(second.network_rate_stats, { rx_bytes_per_sec: 1000, tx_bytes_per_sec: 500 });
      assert.equal(reader.read({ podUid: "0a1b2c3d-4e5f", runtimeId: "gone" }, "app", "abc-1", 0), undefined);
      assert.equal(reader.read({ podUid: "../../etc", runtimeId: "c1" }, "app", "abc-1", 0), undefined);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
