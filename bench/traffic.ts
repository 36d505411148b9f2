// bench/traffic: HTTP requests per second from one pod to busybox httpd in another, to the pod's
// IP and to its Service's cluster IP (nftables DNAT in the VPC namespace), in one run.
//   node dist/bench/traffic.js [--seconds 5] [--concurrency 8] [--rounds 3]
// The load generator is Node's http client run inside the client pod's network namespace
// (nsenter --net), one new TCP connection per request (busybox httpd closes each one), so every
// request through the Service pays the connection's DNAT and conntrack set-up. Rounds alternate
// between the two targets so that the machine's load falls on both alike. Then, a few times, a
// second replica is started while a prober in the client pod asks the Service without pause:
// the time from the moment `kubectl get -w` shows the new pod Ready to its first answer
// through the Service (both clocks are this machine's).

import { execFileSync, spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { VpcNetwork } from "../src/agent/network/mod.js";
import { startMoor } from "../test/harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../test/kubectl.js";
import { clusterIp, service, startClient, waitReady, webDeployment } from "../test/traffic/_traffic.js";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "5" }, concurrency: { type: "string", default: "8" }, rounds: { type: "string", default: "3" } } });

/** Runs in the client pod's namespace: `concurrency` loops of GET / for `seconds`; prints JSON. */
const generator = `
const http = require("node:http");
const [host, port, seconds, concurrency] = process.argv.slice(1);
const latencies = [];
let errors = 0;
const end = Date.now() + Number(seconds) * 1000;
const once = () => new Promise((resolve) => {
  const started = process.hrtime.bigint();
  const req = http.get({ host, port: Number(port), path: "/", agent: false }, (res) => {
    res.resume();
    res.on("end", () => { latencies.push(Number(process.hrtime.bigint() - started) / 1e6); resolve(); });
  });
  req.on("error", () => { errors++; resolve(); });
});
const loop = async () => { while (Date.now() < end) await once(); };
const began = Date.now();
Promise.all(Array.from({ length: Number(concurrency) }, loop)).then(() => {
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)];
  console.log(JSON.stringify({ requests: latencies.length, errors, seconds: (Date.now() - began) / 1000, p50: at(0.5), p99: at(0.99) }));
});`;

interface Round {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

function load(namespacePath: string, host: string, port: number): Round {
  const output = execFileSync("nsenter", [`--net=${namespacePath}`, process.execPath, "-e", generator, host, String(port), values.seconds!, values.concurrency!], { encoding: "utf8" });
  const result = JSON.parse(output);
  return { requestsPerSecond: result.requests / result.seconds, p50: result.p50, p99: result.p99, errors: result.errors };
}

/** Asks host:port without pause until stopped (SIGTERM); prints when each answer was first seen. */
const prober = `
const http = require("node:http");
const [host, port] = process.argv.slice(1);
const first = {};
let running = true;
process.on("SIGTERM", () => { running = false; });
const once = () => new Promise((resolve) => {
  const req = http.get({ host, port: Number(port), path: "/", agent: false, timeout: 1000 }, (res) => {
    let body = "";
    res.on("data", (chunk) => (body += chunk));
    res.on("end", () => { const name = body.trim(); if (!(name in first)) first[name] = Date.now(); resolve(); });
  });
  req.on("error", () => resolve());
  req.on("timeout", () => req.destroy());
});
const loop = async () => { while (running) await once(); };
Promise.all([loop(), loop()]).then(() => console.log(JSON.stringify(first)));`;

/** Scales web to 2 and returns ms from the new pod's Ready (as kubectl watch shows it) to its first answer through the Service. */
async function readyToRouted(moor: Awaited<ReturnType<typeof startMoor>>, path: string, ip: string): Promise<number> {
  const before = new Set((await kubectlJson(moor, ["get", "pods", "-l", "app=web"])).items.map((pod: any) => pod.metadata.name));
  const probe = spawn("nsenter", [`--net=${path}`, process.execPath, "-e", prober, ip, "80"], { stdio: ["ignore", "pipe", "inherit"] });
  let probed = "";
  probe.stdout.on("data", (chunk) => (probed += chunk));
  const template = '{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}';
  const watch = spawn("kubectl", ["get", "pods", "-l", "app=web", "-w", "-o", `jsonpath=${template}`], { env: { ...moor.env, KUBECACHEDIR: `${moor.home}/bench-kubecache` } });
  const readyAt = new Map<string, number>();
  let pending = "";
  watch.stdout.on("data", (chunk) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      const [name, ready] = line.trim().split(" ");
      if (name && ready === "True" && !before.has(name) && !readyAt.has(name)) readyAt.set(name, Date.now());
    }
  });
  await kubectlOk(moor, ["scale", "deployment/web", "--replicas=2"]);
  const fresh = await waitFor("the new pod ready", () => [...readyAt.keys()][0], 60_000);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  watch.kill();
  const ended = new Promise((resolve) => probe.once("close", resolve));
  probe.kill("SIGTERM");
  await ended;
  const first = JSON.parse(probed) as Record<string, number>;
  await kubectlOk(moor, ["scale", "deployment/web", "--replicas=1"]);
  await waitFor("back to one pod", async () => (await kubectlJson(moor, ["get", "pods", "-l", "app=web"])).items.length === 1, 60_000);
  if (first[fresh] === undefined) throw new Error(`the new pod ${fresh} never answered through the Service`);
  return first[fresh]! - readyAt.get(fresh)!;
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;

async function main(): Promise<void> {
  const moor = await startMoor();
  try {
    await kubectlOk(moor, ["apply", "-f", "-"], webDeployment("web", 1));
    await kubectlOk(moor, ["apply", "-f", "-"], service("web", { ports: [{ port: 80, targetPort: "http" }] }));
    await startClient(moor);
    const [pod] = await waitReady(moor, "web", 1);
    const client = await kubectlJson(moor, ["get", "pod", "client"]);
    const network = new VpcNetwork(moor.home, "us-east-1");
    const path = network.namespacePath(network.podNamespace(client.metadata.uid));
    const ip = await clusterIp(moor, "web");
    const direct: Round[] = [];
    const viaService: Round[] = [];
    load(path, pod.status.podIP, 8080);
    for (let round = 0; round < Number(values.rounds); round++) {
      direct.push(load(path, pod.status.podIP, 8080));
      viaService.push(load(path, ip, 80));
    }
    const report = (name: string, rounds: Round[]) =>
      `${name}: ${median(rounds.map((r) => r.requestsPerSecond)).toFixed(0)} requests/s, p50 ${median(rounds.map((r) => r.p50)).toFixed(2)} ms, p99 ${median(rounds.map((r) => r.p99)).toFixed(2)} ms, errors ${rounds.reduce((sum, r) => sum + r.errors, 0)}`;
    console.log(report("pod → pod IP  ", direct));
    console.log(report("pod → Service ", viaService));
    const ratio = median(viaService.map((r) => r.requestsPerSecond)) / median(direct.map((r) => r.requestsPerSecond));
    const p99Ratio = median(viaService.map((r) => r.p99)) / median(direct.map((r) => r.p99));
    console.log(`Service / pod IP: ${(ratio * 100).toFixed(0)} % of the requests/s, p99 ${p99Ratio.toFixed(2)}× (rounds: ${values.rounds} × ${values.seconds} s, ${values.concurrency} in flight)`);
    const delays: number[] = [];
    for (let round = 0; round < 5; round++) delays.push(await readyToRouted(moor, path, ip));
    console.log(`pod Ready (kubectl watch) → first answer through the Service: ${delays.map((delay) => `${delay} ms`).join(", ")}`);
    console.log(`each round: pod IP ${direct.map((r) => r.requestsPerSecond.toFixed(0)).join(", ")}; Service ${viaService.map((r) => r.requestsPerSecond.toFixed(0)).join(", ")}`);
  } finally {
    await kubectl(moor, ["delete", "deployment,pods", "--all", "--grace-period=1", "--wait=true"]);
    await moor.dispose();
  }
}

await main();
