// bench/lb: HTTP requests/s from the host through an ALB (Moor's proxy) to pods, against the
// same client sending straight to one pod's address.
//   node dist/bench/lb.js [--seconds 5] [--concurrency 16] [--replicas 2]
// The pods are busybox httpd (a process per connection, no keep-alive), so every request is a
// new TCP connection on both paths, and through the ALB a second one from the proxy to the pod.
// The direct path runs the same client inside the VPC namespace (`ip netns exec`), because no
// host address reaches a pod; it is the best case, with no proxy at all. Then, five times, it
// scales up by one while a prober on the host asks the ALB without pause, and measures from the
// moment `kubectl get -w` shows the new pod Ready to its first answer through the ALB.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { request } from "node:http";
import { parseArgs } from "node:util";
import { moorEntry, run, startMoor } from "../test/harness.js";
import { kubectlJson, kubectlOk, waitFor } from "../test/kubectl.js";
import { curl, webDeployment } from "../test/traffic-lb/_lb.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "16" },
    replicas: { type: "string", default: "1" },
    rounds: { type: "string", default: "3" },
    client: { type: "string" },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

interface Load {
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

function once(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const sent = request(url, { agent: false }, (response) => {
      response.resume();
      response.on("end", () => (response.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${response.statusCode}`))));
    });
    sent.on("error", reject);
    sent.end();
  });
}

/** `concurrency` loops of requests for `seconds`; what one client process measures. */
async function load(url: string): Promise<Load> {
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        try {
          latencies.push(await once(url));
        } catch {
          errors++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))] ?? 0;
  return { requests: latencies.length / seconds, errors, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** Asks `url` without pause until stopped (SIGTERM); prints when each answer (a pod's name) was first seen. */
const prober = `
const http = require("node:http");
const [url] = process.argv.slice(1);
const first = {};
let running = true;
process.on("SIGTERM", () => { running = false; });
const once = () => new Promise((resolve) => {
  const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
    let body = "";
    res.on("data", (chunk) => (body += chunk));
    res.on("end", () => { const name = body.trim(); if (res.statusCode === 200 && !(name in first)) first[name] = Date.now(); resolve(); });
  });
  req.on("error", () => resolve());
  req.on("timeout", () => req.destroy());
});
const loop = async () => { while (running) await once(); };
Promise.all([loop(), loop()]).then(() => console.log(JSON.stringify(first)));`;

/**
 * Scales up by one while a prober on the host asks the ALB without pause, and returns ms from
 * the moment `kubectl get -w` shows the new pod Ready to its first answer through the ALB (both
 * clocks are this machine's); then scales back.
 */
async function readyToRouted(moor: Awaited<ReturnType<typeof startMoor>>, hostname: string, replicas: number): Promise<number> {
  const before = new Set((await kubectlJson(moor, ["get", "pods", "-l", "app=web"])).items.map((pod: any) => pod.metadata.name));
  const probe = spawn(process.execPath, ["-e", prober, `http://${hostname}/`], { stdio: ["ignore", "pipe", "inherit"] });
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
  await kubectlOk(moor, ["scale", "deployment", "web", `--replicas=${replicas + 1}`]);
  const fresh = await waitFor("the new pod ready", () => [...readyAt.keys()][0], 60_000);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  watch.kill();
  const ended = new Promise((resolve) => probe.once("close", resolve));
  probe.kill("SIGTERM");
  await ended;
  const first = JSON.parse(probed) as Record<string, number>;
  await kubectlOk(moor, ["scale", "deployment", "web", `--replicas=${replicas}`]);
  await waitFor("back to the replicas before", async () => (await kubectlJson(moor, ["get", "pods", "-l", "app=web"])).items.length === replicas, 60_000);
  if (first[fresh] === undefined) throw new Error(`the new pod ${fresh} never answered through the ALB within 3 s of Ready`);
  return first[fresh]! - readyAt.get(fresh)!;
}

/** The round with the median requests/s. */
function median(rounds: Load[]): Load {
  return [...rounds].sort((a, b) => a.requests - b.requests)[Math.floor(rounds.length / 2)]!;
}

async function clientIn(namespace: string | undefined, url: string): Promise<Load> {
  const args = [process.argv[1]!, "--client", url, "--seconds", String(seconds), "--concurrency", String(concurrency)];
  const result = namespace ? await run("ip", ["netns", "exec", namespace, process.execPath, ...args]) : await run(process.execPath, args);
  if (result.code !== 0) throw new Error(`bench client failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Load;
}

if (values.client) {
  console.log(JSON.stringify(await load(values.client)));
} else {
  const moor = await startMoor();
  try {
    await kubectlOk(moor, ["apply", "-f", "-"], webDeployment("web", Number(values.replicas)));
    await kubectlOk(moor, ["expose", "deployment", "web", "--port", "80", "--target-port", "http"]);
    await kubectlOk(moor, ["apply", "-f", "-"], JSON.stringify({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web", annotations: { "alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/target-type": "ip", "alb.ingress.kubernetes.io/healthcheck-interval-seconds": "5", "alb.ingress.kubernetes.io/healthcheck-timeout-seconds": "2" } },
      spec: { ingressClassName: "alb", defaultBackend: { service: { name: "web", port: { number: 80 } } } },
    }));
    const hostname = await waitFor("the hostname", async () => (await kubectlJson(moor, ["get", "ingress", "web"])).status?.loadBalancer?.ingress?.[0]?.hostname, 60_000);
    await waitFor("an answer through the ALB", async () => (await curl(`http://${hostname}/`)).status === 200, 60_000);
    const pods = (await kubectlJson(moor, ["get", "pods", "-l", "app=web"])).items;
    const namespace = `moor-vpc-${createHash("sha256").update(moor.home).digest("hex").slice(0, 8)}`;
    // Alternating rounds, medians: the machine is shared, so one round of each says little.
    const directRounds: Load[] = [];
    const albRounds: Load[] = [];
    for (let round = 0; round < Number(values.rounds); round++) {
      directRounds.push(await clientIn(namespace, `http://${pods[0].status.podIP}/`));
      albRounds.push(await clientIn(undefined, `http://${hostname}/`));
    }
    const direct = median(directRounds);
    const alb = median(albRounds);
    const round = (value: number) => Math.round(value * 10) / 10;
    console.log(`moor ${moorEntry}: ${pods.length} busybox httpd pods, ${concurrency} concurrent clients, ${values.rounds} alternating rounds of ${seconds} s, medians`);
    console.log(`direct to one pod (from the VPC namespace): ${Math.round(direct.requests)} req/s, p50 ${round(direct.p50Ms)} ms, p99 ${round(direct.p99Ms)} ms, ${direct.errors} errors`);
    console.log(`host → ALB → ${pods.length} pods:               ${Math.round(alb.requests)} req/s, p50 ${round(alb.p50Ms)} ms, p99 ${round(alb.p99Ms)} ms, ${alb.errors} errors`);
    console.log(`ratio ALB / direct: ${Math.round((alb.requests / direct.requests) * 100)} % (goal ≥ 70 %)`);
    const delays: number[] = [];
    for (let round = 0; round < 5; round++) delays.push(await readyToRouted(moor, hostname, pods.length));
    console.log(`pod Ready (kubectl watch) → first answer through the ALB from it: ${delays.map((ms) => `${Math.round(ms)} ms`).join(", ")} (goal ≤ 1 s)`);
  } finally {
    await moor.dispose();
  }
}
