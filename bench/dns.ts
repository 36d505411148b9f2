// Cluster DNS under load: queries per second and latency percentiles of Moor's DNS server (the
// daemon the embedded Moor runs in the VPC namespace, here on 127.0.0.1), and for comparison of
// dnsmasq serving the same names from a hosts file when it is installed (`--with dnsmasq`).
//
// The load: a closed loop of `--concurrency` outstanding UDP queries (default 8) from one
// socket, A questions over `--services` Service names (default 1,000) and one name in ten that
// does not exist (NXDOMAIN), for `--seconds` (default 5) or at most `--count` queries. A query
// unanswered after 1 s is counted lost and replaced. Only 127.0.0.1 is ever queried.
//
//   node dist/bench/dns.js [--seconds 5] [--concurrency 8] [--services 1000] [--rounds 3] [--with dnsmasq]

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DnsServer } from "../src/engines/dns/mod.js";
import type { DnsRecord } from "../src/domain/dns/mod.js";
import { freePort } from "../test/harness.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args[args.indexOf(`--${name}`) + 1] ?? fallback) || fallback;
const seconds = option("seconds", 5);
const concurrency = option("concurrency", 8);
const services = option("services", 1000);
const countMax = option("count", 5_000_000);
const rounds = option("rounds", 3);
const lostAfterMs = 1000;

function serviceName(index: number): string {
  return `svc-${index}.bench.svc.cluster.local`;
}

function serviceAddress(index: number): string {
  return `10.100.${(index >> 8) & 255}.${index & 255}`;
}

function query(id: number, name: string): Buffer {
  const labels = name.split(".").map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)]));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
}

interface Result {
  answered: number;
  lost: number;
  nxdomain: number;
  wrong: number;
  seconds: number;
  latenciesUs: number[];
}

/** Built once: a query per Service name and 100 names that do not exist (the id is written per send). */
const questions = Array.from({ length: services }, (_, index) => query(0, serviceName(index)));
const missing = Array.from({ length: 100 }, (_, index) => query(0, `missing-${index}.bench.svc.cluster.local`));

async function load(port: number): Promise<Result> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const outstanding = new Map<number, { sentAt: bigint; index: number }>();
  const result: Result = { answered: 0, lost: 0, nxdomain: 0, wrong: 0, seconds: 0, latenciesUs: [] };
  let nextId = 0;
  let sent = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(seconds * 1e9);
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const send = () => {
    if (sent >= countMax || process.hrtime.bigint() >= deadline) {
      if (outstanding.size === 0) finish();
      return;
    }
    nextId = (nextId + 1) & 0xffff;
    while (outstanding.has(nextId)) nextId = (nextId + 1) & 0xffff;
    const index = sent % 10 === 9 ? -1 : (sent * 7919) % services;
    const message = index < 0 ? missing[sent % missing.length]! : questions[index]!;
    message.writeUInt16BE(nextId, 0);
    outstanding.set(nextId, { sentAt: process.hrtime.bigint(), index });
    sent++;
    socket.send(message, port, "127.0.0.1");
  };
  socket.on("message", (message) => {
    const id = message.readUInt16BE(0);
    const entry = outstanding.get(id);
    if (!entry) return;
    outstanding.delete(id);
    result.latenciesUs.push(Number(process.hrtime.bigint() - entry.sentAt) / 1000);
    const code = message.readUInt16BE(2) & 0xf;
    if (entry.index < 0) code === 3 ? result.nxdomain++ : result.wrong++;
    else if (code !== 0 || message.readUInt16BE(6) !== 1 || message.subarray(message.length - 4).join(".") !== serviceAddress(entry.index)) result.wrong++;
    result.answered++;
    send();
  });
  const sweeper = setInterval(() => {
    const now = process.hrtime.bigint();
    for (const [id, entry] of outstanding) {
      if (now - entry.sentAt < BigInt(lostAfterMs * 1e6)) continue;
      outstanding.delete(id);
      result.lost++;
      send();
    }
  }, 100);
  for (let index = 0; index < concurrency; index++) send();
  await done;
  clearInterval(sweeper);
  result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  socket.close();
  return result;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? NaN;
}

function report(name: string, result: Result): void {
  const sorted = result.latenciesUs.sort((a, b) => a - b);
  const rate = Math.round(result.answered / result.seconds);
  const ms = (value: number) => (value / 1000).toFixed(2);
  console.log(`| ${name} | ${rate.toLocaleString("en-US")} | ${ms(percentile(sorted, 0.5))} | ${ms(percentile(sorted, 0.99))} | ${ms(percentile(sorted, 0.999))} | ${result.lost} | ${result.wrong} |`);
}

function records(): DnsRecord[] {
  return Array.from({ length: services }, (_, index) => ({ name: serviceName(index), type: "A" as const, address: serviceAddress(index), ttlSeconds: 5 }));
}

async function benchMoor(round: number): Promise<void> {
  const port = await freePort();
  const server = new DnsServer({ addresses: ["127.0.0.1"], port });
  server.publish(records());
  await server.start();
  try {
    await load(port); // warm-up
    report(`Moor's server (round ${round})`, await load(port));
  } finally {
    await server.stop();
  }
}

async function benchDnsmasq(round: number): Promise<void> {
  if (spawnSync("sh", ["-c", "command -v dnsmasq"]).status !== 0) return console.log("(dnsmasq not installed: skipped)");
  const directory = mkdtempSync(join(tmpdir(), "moor-bench-dns-"));
  const hosts = join(directory, "hosts");
  writeFileSync(hosts, Array.from({ length: services }, (_, index) => `${serviceAddress(index)} ${serviceName(index)}\n`).join(""));
  const port = await freePort();
  const child: ChildProcess = spawn("dnsmasq", ["--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", `--addn-hosts=${hosts}`, "--local=/#/", "--listen-address=127.0.0.1", "--bind-interfaces", `--port=${port}`, "--cache-size=10000", "--user=root"], { stdio: "inherit" });
  await new Promise((resolve) => setTimeout(resolve, 500));
  try {
    await load(port);
    report(`dnsmasq, hosts file (round ${round})`, await load(port));
  } finally {
    child.kill("SIGTERM");
    rmSync(directory, { recursive: true, force: true });
  }
}

console.log(`${services} Service names, ${concurrency} queries outstanding, ${seconds} s per run\n`);
console.log("| server | queries/s | p50 ms | p99 ms | p99.9 ms | lost | wrong |");
console.log("|---|---|---|---|---|---|---|");
// Rounds alternate, so that a burst of load from elsewhere on the machine does not favour one.
for (let round = 1; round <= rounds; round++) {
  await benchMoor(round);
  if (args.includes("dnsmasq")) await benchDnsmasq(round);
}
