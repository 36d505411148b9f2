// bench/pods: how fast the node agent turns a bound pod into a running sandbox, with a warm
// image, beside raw `runc run -d` of the same bundle, and what an idle pod costs the host.
//   node dist/bench/pods.js [--pods 50]
// (1) sequential: one Fargate node + bound pod at a time, store write → status Running (the
//     container started and reported); (2) the same number of pods created at once; (3) raw
//     `runc run -d` of a pod's own bundle; (4) host memory per idle pod beyond its processes:
//     the monitor's proportional set size plus the agent's growth, per pod.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startAgent, containerStatus, type AgentUnderTest } from "../test/agent/_harness.js";

const { values } = parseArgs({ options: { pods: { type: "string", default: "50" } } });
const count = Number(values.pods);

const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const summary = (samples: number[]) => `p50 ${percentile(samples, 50).toFixed(0)} ms, p99 ${percentile(samples, 99).toFixed(0)} ms`;

const podSpec = { containers: [{ name: "main", image: "busybox", imagePullPolicy: "IfNotPresent", command: ["sleep", "3600"] }] };

function running(moor: AgentUnderTest, name: string): boolean {
  const pod = moor.pod(name);
  return pod?.status?.phase === "Running" && !!containerStatus(pod, "main")?.state.running;
}

async function startPods(moor: AgentUnderTest, prefix: string, total: number, firstHost: number, concurrent: boolean): Promise<number[]> {
  const times: number[] = [];
  const create = (index: number) => {
    const node = moor.fargateNode(`10.42.${Math.floor((firstHost + index) / 250)}.${((firstHost + index) % 250) + 4}`);
    const started = performance.now();
    moor.createPod(`${prefix}-${index}`, node.metadata.name, podSpec);
    return started;
  };
  const wait = async (name: string, started: number) => {
    await moor.waitFor(`${name} running`, () => running(moor, name), 120_000);
    times.push(performance.now() - started);
  };
  if (concurrent) {
    const starts = Array.from({ length: total }, (_, index) => create(index));
    await Promise.all(starts.map((started, index) => wait(`${prefix}-${index}`, started)));
  } else {
    for (let index = 0; index < total; index++) await wait(`${prefix}-${index}`, create(index));
  }
  return times;
}

function pssKb(pid: number): number {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  return Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
}

function shimPids(home: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        return argv[0]!.includes("moor-shim") && argv[1] === "run" && argv[2]!.startsWith(home);
      } catch {
        return false;
      }
    });
}

/** `runc run -d` of a running pod's own bundle (fresh ids, its rootfs, no monitor, no CNI). */
function rawRunc(moor: AgentUnderTest, pod: string, total: number): number[] {
  const uid = moor.pod(pod)!.metadata.uid!;
  const containers = join(moor.home, "pods", uid, "containers");
  const bundle = join(containers, readdirSync(containers)[0]!);
  const spec = JSON.parse(readFileSync(join(bundle, "config.json"), "utf8"));
  const root = join(moor.home, "raw-runc");
  const work = join(root, "bundle");
  mkdirSync(work, { recursive: true });
  const times: number[] = [];
  for (let index = 0; index < total; index++) {
    const id = `raw-${index}`;
    writeFileSync(join(work, "config.json"), JSON.stringify({ ...spec, root: { path: join(bundle, "rootfs"), readonly: true }, linux: { ...spec.linux, cgroupsPath: `/moor-bench-raw/${id}` } }));
    const started = performance.now();
    const result = spawnSync("runc", ["--root", join(root, "state"), "run", "-d", "--bundle", work, id], { stdio: "ignore" });
    times.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`runc run failed for ${id}`);
  }
  for (let index = 0; index < total; index++) spawnSync("runc", ["--root", join(root, "state"), "delete", "--force", `raw-${index}`], { stdio: "ignore" });
  rmSync(root, { recursive: true, force: true });
  for (const hierarchy of readdirSync("/sys/fs/cgroup")) spawnSync("rmdir", [join("/sys/fs/cgroup", hierarchy, "moor-bench-raw")], { stdio: "ignore" });
  return times;
}

async function main(): Promise<void> {
  const moor = await startAgent();
  try {
    // One pod first, so the image, monitor binary and VPC are warm as the goal says.
    await startPods(moor, "warm", 1, 0, false);
    const rssBefore = process.memoryUsage().rss;
    const sequential = await startPods(moor, "seq", count, 10, false);
    const shims = shimPids(moor.home);
    const shimKb = shims.reduce((sum, pid) => sum + pssKb(pid), 0) / shims.length;
    const agentKbPerPod = (process.memoryUsage().rss - rssBefore) / 1024 / count;
    const raw = rawRunc(moor, "warm-0", count);
    for (const pod of moor.store.list("Pod").items) moor.deletePod(pod.metadata.name, 0);
    const deleteStarted = performance.now();
    await moor.waitFor("all pods gone", () => moor.store.list("Pod").items.length === 0, 300_000);
    const deleteMs = performance.now() - deleteStarted;
    for (const node of moor.store.list("Node").items) moor.store.delete({ kind: "Node", name: node.metadata.name });
    const burstStarted = performance.now();
    const concurrent = await startPods(moor, "burst", count, 10, true);
    const burstMs = performance.now() - burstStarted;
    const lines = [
      `pods: ${count}, machine: ${execFileSync("nproc", { encoding: "utf8" }).trim()} cores, runc ${/runc version (\S+)/.exec(execFileSync("runc", ["--version"], { encoding: "utf8" }))?.[1]}`,
      `sequential bound pod → Running: ${summary(sequential)}`,
      `${count} pods at once: ${summary(concurrent)} per pod, all Running after ${burstMs.toFixed(0)} ms`,
      `raw runc run -d of the same bundle: ${summary(raw)}`,
      `host memory per idle pod beyond its processes: monitor PSS ${(shimKb / 1024).toFixed(2)} MB + agent ${(agentKbPerPod / 1024).toFixed(2)} MB`,
      `deleting ${count} pods (grace 0): ${deleteMs.toFixed(0)} ms`,
    ];
    console.log(lines.join("\n"));
  } finally {
    await moor.dispose();
  }
}

await main();
