// bench/apps, the WordPress part: pages per second and p99 through the ALB with 3 replicas
// against 1, measured in the same run.
//   node dist/bench/wordpress.js [--seconds 20] [--concurrency 8] [--rounds 2]
// Starts a Moor (images from the machine's builder home, as test/walkthroughs does), runs
// examples/wordpress/walkthrough.sh, installs WordPress, then, for each round, scales to 3 and
// to 1 in turn and has `concurrency` clients on the host ask the ALB's hostname for the front
// page (a full PHP render with its database queries on RDS; keep-alive connections) for
// `seconds`. Pages that are not 200 count as errors. Medians of the rounds are reported.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { moorEntry, repoRoot, run, startMoor, type MoorUnderTest } from "../test/harness.js";
import { kubectlJson, kubectlOk, waitFor } from "../test/kubectl.js";
import { curl } from "../test/traffic-lb/_lb.js";
import { seedExampleImages } from "../test/walkthroughs/_images.js";
import { install, WordPressClient } from "../test/walkthroughs/_wordpress-http.js";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "20" }, concurrency: { type: "string", default: "8" }, rounds: { type: "string", default: "2" } } });
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);

interface Load {
  pagesPerSecond: number;
  errors: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
}

function page(url: URL, agent: Agent): Promise<{ ms: number; status: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const sent = request(url, { agent }, (response) => {
      response.resume();
      response.on("end", () => resolve({ ms: performance.now() - started, status: String(response.statusCode) }));
    });
    sent.on("error", (error: NodeJS.ErrnoException) => resolve({ ms: performance.now() - started, status: error.code ?? "error" }));
    sent.setTimeout(30_000, () => sent.destroy());
    sent.end();
  });
}

async function load(base: string): Promise<Load> {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const times: number[] = [];
  const errors: Record<string, number> = {};
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const answer = await page(url, agent);
      if (answer.status === "200") times.push(answer.ms);
      else errors[answer.status] = (errors[answer.status] ?? 0) + 1;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  times.sort((a, b) => a - b);
  const at = (share: number) => times[Math.min(times.length - 1, Math.floor(times.length * share))] ?? 0;
  return { pagesPerSecond: times.length / elapsed, errors, p50Ms: at(0.5), p99Ms: at(0.99) };
}

async function scaleTo(moor: MoorUnderTest, base: string, replicas: number): Promise<void> {
  await kubectlOk(moor, ["scale", "deployment/wordpress", `--replicas=${replicas}`]);
  await waitFor(`${replicas} ready pods`, async () => {
    const pods = (await kubectlJson(moor, ["get", "pods", "-l", "app.kubernetes.io/name=wordpress"])).items;
    return pods.length === replicas && pods.every((pod: any) => pod.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True"));
  }, 180_000);
  // A new target gets requests once two health checks pass (the guide's Ingress keeps the ALB's
  // default interval, 15 s): two intervals and a margin, then one good answer.
  await new Promise((resolve) => setTimeout(resolve, 32_000));
  await waitFor("the front page", async () => (await curl(base)).status === 200, 60_000);
}

const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(", ");
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const show = (value: Load) => `${value.pagesPerSecond.toFixed(1)} pages/s, p50 ${value.p50Ms.toFixed(0)} ms, p99 ${value.p99Ms.toFixed(0)} ms, errors ${JSON.stringify(value.errors)}`;

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "moor-bench-"));
  await seedExampleImages(home, [{ app: "wordpress", tag: "moor-examples/wordpress:latest" }, { app: "mariadb", tag: "moor/rds-mariadb:10.11" }]);
  const moor = await startMoor({ home, env: { MOOR_DEFAULT_PROFILE: "false" } });
  try {
    const walked = await run("bash", [join(repoRoot, "examples/wordpress/walkthrough.sh")], { env: { ...moor.env, MOOR_CLI: `${process.execPath} ${moorEntry}`, WORK: home }, timeoutMs: 600_000 });
    if (walked.code !== 0) throw new Error(`walkthrough.sh failed:\n${(walked.stdout + walked.stderr).slice(-4000)}`);
    const base = walked.stdout.trim().split("\n").at(-1)!;
    const installed = await install(new WordPressClient(base), "Moor bench");
    if (!/Success!/.test(installed.body)) throw new Error(`the install did not succeed (${installed.status})`);
    console.log(`WordPress through ${base}, ${concurrency} clients, ${seconds} s per measurement, ${rounds} rounds; load average ${loadAverage()}`);
    const results: Record<number, Load[]> = { 3: [], 1: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const replicas of [3, 1]) {
        await scaleTo(moor, base, replicas);
        await load(base); // warm-up: PHP's opcache in each replica
        const measured = await load(base);
        results[replicas]!.push(measured);
        console.log(`round ${round}, ${replicas} replica(s): ${show(measured)}; load average ${loadAverage()}`);
      }
    }
    const three = median(results[3]!.map((entry) => entry.pagesPerSecond));
    const one = median(results[1]!.map((entry) => entry.pagesPerSecond));
    console.log(`median pages/s: 3 replicas ${three.toFixed(1)}, 1 replica ${one.toFixed(1)}, ratio ${(three / one).toFixed(2)}×`);
    console.log(`median p99: 3 replicas ${median(results[3]!.map((entry) => entry.p99Ms)).toFixed(0)} ms, 1 replica ${median(results[1]!.map((entry) => entry.p99Ms)).toFixed(0)} ms`);
  } finally {
    await moor.dispose();
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
