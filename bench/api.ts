// bench/api: the Kubernetes API under kubectl.
//   node dist/bench/api.js [--pods 1000] [--runs 10]
// (1) time from `moor up` (a fresh data directory, certificates made on the way; then a
//     restart) to the first successful `kubectl get ns`; (2) create rate: pods POSTed through
//     the API (decode, default, validate, admit, store) with 16 requests in flight; (3) `kubectl
//     get pods` with that many pods, p50/p99 of the whole kubectl process; (4) Moor's resident
//     memory idle after start and idle holding the pods; (5) a Deployment of that many replicas
//     until its ReplicaSet reports them all (the controllers). Pods stay unscheduled (no Fargate
//     profile), so this measures the API and store, not sandboxes.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePorts, moorEntry, run } from "../test/harness.js";

const { values } = parseArgs({ options: { pods: { type: "string", default: "1000" }, runs: { type: "string", default: "10" } } });
const podCount = Number(values.pods);
const runs = Number(values.runs);
const inFlight = 16;

const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const home = mkdtempSync(join(tmpdir(), "moor-bench-api-"));
const cache = () => mkdtempSync(join(tmpdir(), "moor-bench-kubecache-"));
const [awsPort, kubePort] = await freePorts(2);
const env: NodeJS.ProcessEnv = {
  ...process.env,
  MOOR_HOME: home,
  MOOR_AWS_PORT: String(awsPort),
  MOOR_KUBE_PORT: String(kubePort),
  MOOR_DEFAULT_PROFILE: "false",
  KUBECONFIG: join(home, "kubeconfig"),
};

/** Starts `moor up` and polls `kubectl get ns` until it succeeds; returns the elapsed ms. */
async function upToFirstGet(): Promise<{ ms: number; stop: () => Promise<void>; pid: number }> {
  const kubeCache = cache();
  const started = performance.now();
  const child = spawn(process.execPath, [moorEntry, "up"], { env, stdio: "ignore" });
  for (;;) {
    const result = await run("kubectl", ["get", "ns", "--request-timeout=2s"], { env: { ...env, KUBECACHEDIR: kubeCache } });
    if (result.code === 0 && /default/.test(result.stdout)) break;
    if (child.exitCode !== null) throw new Error("moor up exited");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const ms = performance.now() - started;
  rmSync(kubeCache, { recursive: true, force: true });
  const stop = async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  return { ms, stop, pid: child.pid! };
}

function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function post(path: string, body: unknown, access: { port: string; ca: Buffer; token: string }): Promise<number> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: access.port, path, method: "POST", ca: access.ca, headers: { Authorization: `Bearer ${access.token}`, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

function get(path: string, access: { port: string; ca: Buffer; token: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: access.port, path, ca: access.ca, headers: { Authorization: `Bearer ${access.token}` } }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve(text));
    });
    req.on("error", reject);
    req.end();
  });
}

const cold = await upToFirstGet();
await cold.stop();
const warm = await upToFirstGet();
await new Promise((resolve) => setTimeout(resolve, 3000));
const idleEmpty = residentMb(warm.pid);

const access = { port: env.MOOR_KUBE_PORT!, ca: readFileSync(join(home, "kube", "ca.crt")), token: readFileSync(join(home, "kube", "token"), "utf8").trim() };
const createStarted = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    while (next < podCount) {
      const index = next++;
      const code = await post("/api/v1/namespaces/default/pods", { metadata: { name: `bench-${index}`, labels: { app: "bench" } }, spec: { containers: [{ name: "main", image: "busybox:1.36", command: ["sleep", "3600"] }] } }, access);
      if (code !== 201) throw new Error(`creating pod ${index} answered ${code}`);
    }
  }),
);
const createSeconds = (performance.now() - createStarted) / 1000;

const getCache = cache();
const getTimes: number[] = [];
for (let index = 0; index < runs; index++) {
  const started = performance.now();
  const result = await run("kubectl", ["get", "pods"], { env: { ...env, KUBECACHEDIR: getCache } });
  if (result.code !== 0 || result.stdout.split("\n").length < podCount) throw new Error(`kubectl get pods failed: ${result.stderr}`);
  getTimes.push(performance.now() - started);
}
const versionTimes: number[] = [];
for (let index = 0; index < runs; index++) {
  const started = performance.now();
  await run("kubectl", ["version"], { env: { ...env, KUBECACHEDIR: getCache } });
  versionTimes.push(performance.now() - started);
}
await new Promise((resolve) => setTimeout(resolve, 3000));
const idleFull = residentMb(warm.pid);

// The controllers: a Deployment of podCount replicas until its ReplicaSet reports them all.
const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "bench-scale" },
  spec: { replicas: podCount, selector: { matchLabels: { app: "bench-scale" } }, template: { metadata: { labels: { app: "bench-scale" } }, spec: { containers: [{ name: "main", image: "busybox" }] } } },
};
const scaleStarted = performance.now();
if ((await post("/apis/apps/v1/namespaces/default/deployments", deployment, access)) !== 201) throw new Error("creating the deployment failed");
for (;;) {
  const sets = JSON.parse(await get("/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dbench-scale", access));
  if (sets.items[0]?.status?.replicas === podCount) break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const scaleSeconds = (performance.now() - scaleStarted) / 1000;
await warm.stop();

console.log(`moor up → first kubectl get ns: ${cold.ms.toFixed(0)} ms fresh data directory (certificates made), ${warm.ms.toFixed(0)} ms restart`);
console.log(`create rate: ${(podCount / createSeconds).toFixed(0)} pods/s (${podCount} pods in ${createSeconds.toFixed(2)} s, ${inFlight} in flight)`);
console.log(`kubectl get pods with ${podCount} pods: p50 ${percentile(getTimes, 50).toFixed(0)} ms, p99 ${percentile(getTimes, 99).toFixed(0)} ms (${runs} runs; kubectl version alone p50 ${percentile(versionTimes, 50).toFixed(0)} ms)`);
console.log(`deployment of ${podCount} replicas until its replica set reports them: ${scaleSeconds.toFixed(2)} s`);
console.log(`resident memory of Moor: ${idleEmpty.toFixed(0)} MB idle after start, ${idleFull.toFixed(0)} MB idle holding ${podCount} pods`);

rmSync(getCache, { recursive: true, force: true });
try {
  rmSync(home, { recursive: true, force: true });
} catch (error) {
  console.error(`bench/api: could not remove ${home}: ${(error as Error).message}`);
}
