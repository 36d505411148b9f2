// bench/images: the image path end to end, on this machine, in one run.
//   node dist/bench/images.js [--pods 10] [--apps nginx,mariadb,wordpress,java-api]
// (1) cold build of each example image (a fresh data directory: no step cache; the Debian base
//     images come from the machine cache, apt-get from Debian's mirror) and the unchanged
//     rebuild; (2) bytes on disk for the images' layers (each unpacked once) vs the sum of each
//     image's layers; (3) push of the largest image to the ECR registry (in-process, as Moor runs
//     it: ECR rules + blob store) and a pull of it into an empty image store (download + unpack),
//     in MB/s, beside reading the same blob bytes from disk; (4) bound pod → Running with the
//     WordPress image vs busybox, both local, the same command.

import { execFileSync } from "node:child_process";
import { createReadStream, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { moorEntry, repoRoot, run, freePort } from "../test/harness.js";
import { containerStatus, startAgent, type AgentUnderTest } from "../test/agent/_harness.js";
import { createMemoryStore } from "../src/store/mod.js";
import { createEcrService } from "../src/services/ecr/mod.js";
import { createRegistryServer } from "../src/frontends/registry/mod.js";
import { BlobStore, pushImage, pullImage } from "../src/engines/images/mod.js";
import { openImageStore } from "../src/agent/mod.js";

const { values } = parseArgs({ options: { pods: { type: "string", default: "10" }, apps: { type: "string", default: "nginx,mariadb,wordpress,java-api" } } });
const apps = values.apps!.split(",");
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.error(line);
};
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

async function build(home: string, app: string): Promise<number> {
  const started = performance.now();
  const result = await run(process.execPath, [moorEntry, "image", "build", "-t", `bench/${app}:v1`, join(repoRoot, "examples/images", app)], { env: { ...process.env, MOOR_HOME: home }, timeoutMs: 1_800_000 });
  if (result.code !== 0) throw new Error(`build of ${app} failed: ${result.stdout.slice(-2000)}${result.stderr}`);
  return performance.now() - started;
}

function directoryBytes(path: string): number {
  return Number(execFileSync("du", ["-sb", "--apparent-size", path], { encoding: "utf8" }).split("\t")[0]);
}

async function builds(moor: AgentUnderTest): Promise<void> {
  say("| image | cold build | unchanged rebuild |\n|---|---|---|");
  for (const app of apps) {
    const cold = await build(moor.home, app);
    const cached = await build(moor.home, app);
    say(`| ${app} | ${(cold / 1000).toFixed(1)} s | ${cached.toFixed(0)} ms |`);
  }
  const images = moor.agent.images();
  const layerRoot = join(images.root, "layers");
  const sizes = new Map(readdirSync(layerRoot).map((hex) => [`sha256:${hex}`, directoryBytes(join(layerRoot, hex))]));
  let summed = 0;
  const unique = new Set<string>();
  for (const app of apps) {
    const image = images.find(`bench/${app}:v1`)!;
    for (const layer of image.layers) {
      summed += sizes.get(layer) ?? 0;
      unique.add(layer);
    }
  }
  const stored = [...unique].reduce((sum, layer) => sum + (sizes.get(layer) ?? 0), 0);
  say(`\nlayers of the ${apps.length} images: ${mb(summed)} MB summed per image, ${mb(stored)} MB on disk (${unique.size} distinct layers)`);
}

async function registry(moor: AgentUnderTest): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "moor-bench-registry-"));
  const port = await freePort();
  const ecr = createEcrService({ store: createMemoryStore(), accountId: "000000000000", tokenSecret: "bench" });
  ecr.operations.CreateRepository!({ repositoryName: "bench" }, { region: "us-east-1" });
  const blobs = new BlobStore(join(work, "registry"));
  const server = createRegistryServer({ host: "127.0.0.1", port, rules: ecr.registry, blobs, realm: "https://bench/" });
  await server.start();
  try {
    const credentials = { username: "AWS", password: ecr.password() };
    const endpoint = `http://127.0.0.1:${port}`;
    const target = "000000000000.dkr.ecr.us-east-1.amazonaws.com/bench:v1";
    const source = apps.includes("wordpress") ? "bench/wordpress:v1" : `bench/${apps[0]}:v1`;
    let started = performance.now();
    const pushed = await pushImage(moor.agent.images(), source, target, { credentials, endpoint });
    const pushMs = performance.now() - started;
    const fresh = await openImageStore(join(work, "pull-home"));
    started = performance.now();
    await pullImage(fresh, target, { credentials, endpoint });
    const pullMs = performance.now() - started;
    const blobDirectory = join(work, "registry", "blobs", "sha256");
    started = performance.now();
    let read = 0;
    for (const hex of readdirSync(blobDirectory)) for await (const chunk of createReadStream(join(blobDirectory, hex))) read += (chunk as Buffer).length;
    const readMs = performance.now() - started;
    // The floors: the same tar work with no registry in between.
    const image = moor.agent.images().find(source)!;
    started = performance.now();
    for (const diffId of image.layers) execFileSync("sh", ["-c", `tar --sort=name --format=posix -C '${moor.agent.images().layerDirectory(diffId)}' -cf - . | cat > /dev/null`]);
    const tarMs = performance.now() - started;
    const scratch = join(work, "untar");
    const manifest = JSON.parse(blobs.readBytes(pushed.digest).toString()) as { layers: { digest: string }[] };
    let untarMs = 0;
    for (const [index, layer] of manifest.layers.entries()) {
      execFileSync("mkdir", ["-p", join(scratch, String(index))]);
      started = performance.now();
      execFileSync("tar", ["-xf", join(blobDirectory, layer.digest.slice(7)), "-C", join(scratch, String(index)), "--numeric-owner", "-p"], { stdio: "ignore" });
      untarMs += performance.now() - started;
    }
    say(`\n${source}: ${mb(pushed.sizeBytes)} MB of layers`);
    say(`tar of its layer directories to /dev/null (the push's floor): ${(tarMs / 1000).toFixed(2)} s, ${mb((pushed.sizeBytes / tarMs) * 1000)} MB/s`);
    say(`tar -x of the same blobs from disk (the pull's floor): ${(untarMs / 1000).toFixed(2)} s, ${mb((pushed.sizeBytes / untarMs) * 1000)} MB/s`);
    say(`push (tar each layer, upload, digest check): ${(pushMs / 1000).toFixed(2)} s, ${mb((pushed.sizeBytes / pushMs) * 1000)} MB/s`);
    say(`pull into an empty store (download, digest check, unpack): ${(pullMs / 1000).toFixed(2)} s, ${mb((pushed.sizeBytes / pullMs) * 1000)} MB/s`);
    say(`reading the same ${mb(read)} MB of blobs from disk: ${(readMs / 1000).toFixed(2)} s, ${mb((read / readMs) * 1000)} MB/s`);
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function podStarts(moor: AgentUnderTest, image: string, prefix: string, total: number, firstHost: number): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < total; index++) {
    const node = moor.fargateNode(`10.42.1.${firstHost + index}`);
    const name = `${prefix}-${index}`;
    const started = performance.now();
    moor.createPod(name, node.metadata.name, { containers: [{ name: "main", image, imagePullPolicy: "IfNotPresent", command: ["sleep", "3600"] }] });
    await moor.waitFor(`${name} running`, () => moor.pod(name)?.status?.phase === "Running" && !!containerStatus(moor.pod(name), "main")?.state.running, 120_000);
    times.push(performance.now() - started);
    moor.deletePod(name, 0);
  }
  return times.sort((a, b) => a - b);
}

const moor = await startAgent();
try {
  await builds(moor);
  await registry(moor);
  const total = Number(values.pods);
  const busybox = await podStarts(moor, "busybox", "busybox", total, 10);
  const wordpressImage = apps.includes("wordpress") ? "bench/wordpress:v1" : `bench/${apps[0]}:v1`;
  const wordpress = await podStarts(moor, wordpressImage, "app", total, 100);
  const p50 = (samples: number[]) => samples[Math.floor(samples.length / 2)]!;
  say(`\npod start, image local (${total} pods each, one at a time): busybox p50 ${p50(busybox).toFixed(0)} ms, ${wordpressImage} p50 ${p50(wordpress).toFixed(0)} ms (${(p50(wordpress) / p50(busybox)).toFixed(2)}×)`);
} finally {
  console.log(lines.join("\n"));
  await moor.dispose();
}
