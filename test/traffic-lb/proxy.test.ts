// The load balancer engine against a real HAProxy (issue 11): HAProxy inside a scratch "VPC"
// namespace, HTTP servers there, requests from the host to the load balancer's loopback address
// and from inside the namespace to its VPC address. A target that comes or goes changes nothing
// but its own server (no reload), a new target gets requests only after it passes its checks,
// a failing one never does, and no healthy target at all is the ALB's 503.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseSuccessCodes, type HealthCheck, type TargetGroup } from "../../src/domain/loadbalancers/mod.js";
import { LoadBalancerEngine, type ProxiedLoadBalancer } from "../../src/engines/loadbalancers/mod.js";
import { run } from "../harness.js";
import { waitFor } from "../kubectl.js";

const digest = randomBytes(4).toString("hex");
const namespace = `moor-vpc-t${digest}`;
const targets = ["10.99.0.5", "10.99.0.6", "10.99.0.7"];
/** .7 serves requests but never answers its health check (each check times out after 2 s); `/status/N` answers N. */
const serverScript = `
const { createServer } = require("node:http");
for (const ip of ${JSON.stringify(targets)}) {
  createServer((request, response) => {
    if (ip === "10.99.0.7" && request.url === "/health") return;
    response.writeHead(request.url.startsWith("/status/") ? Number(request.url.slice(8)) : 200).end(ip);
  }).listen(8080, ip);
}`;

function balancer(ips: string[]): ProxiedLoadBalancer {
  const group: TargetGroup = {
    id: "default-web-80",
    protocol: "HTTP",
    targets: ips.map((ip) => ({ ip, port: 8080 })),
    healthCheck: { protocol: "HTTP", path: "/health", port: "traffic-port", intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2, successCodes: [200] },
  };
  return {
    name: `k8s-test-${digest}`,
    dnsName: `k8s-test-${digest}-1234567890.us-east-1.elb.amazonaws.com`,
    type: "application",
    scheme: "internet-facing",
    address: `127.99.${Number.parseInt(digest.slice(0, 2), 16)}.1`,
    vpcAddress: "10.99.255.1",
    listeners: [{ protocol: "HTTP", port: 80, rules: [], defaultTargetGroup: group.id }],
    targetGroups: [group],
  };
}

async function get(url: string, inside = false): Promise<{ status: number; body: string }> {
  const args = ["-s", "-m", "3", "-w", "\n%{http_code}", url];
  const result = inside ? await run("ip", ["netns", "exec", namespace, "curl", ...args]) : await run("curl", args);
  const lines = result.stdout.split("\n");
  return { status: Number(lines.pop()), body: lines.join("\n") };
}

async function bodies(url: string, count: number): Promise<string[]> {
  const answers: string[] = [];
  for (let index = 0; index < count; index++) answers.push((await get(url)).body);
  return answers;
}

describe("load balancer engine on a real HAProxy", () => {
  let dir: string;
  let servers: ChildProcess;
  let engine: LoadBalancerEngine;
  let hostsFile: string;
  const url = `http://${balancer([]).address}/`;
  const pid = () => readFileSync(join(dir, "run", "haproxy.pid"), "utf8").trim();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "moor-lb-"));
    hostsFile = join(dir, "hosts");
    writeFileSync(hostsFile, "127.0.0.1 localhost\n");
    await run("ip", ["netns", "add", namespace]);
    await run("ip", ["-n", namespace, "link", "set", "lo", "up"]);
    for (const ip of targets) await run("ip", ["-n", namespace, "addr", "add", `${ip}/32`, "dev", "lo"]);
    servers = spawn("ip", ["netns", "exec", namespace, process.execPath, "-e", serverScript], { stdio: "ignore" });
    engine = new LoadBalancerEngine({ runDir: join(dir, "run"), namespace, digest, hostsFile });
  });
  after(async () => {
    await engine.stop();
    servers.kill();
    await run("ip", ["netns", "del", namespace]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves from the host's loopback address and the VPC address, with the name in the hosts file", async () => {
    await engine.apply([balancer(["10.99.0.5"])]);
    assert.match(readFileSync(hostsFile, "utf8"), new RegExp(`^${balancer([]).address.replaceAll(".", "\\.")} ${balancer([]).dnsName.replaceAll(".", "\\.")}$`, "m"));
    await waitFor("the first target healthy", async () => (await get(url)).body === "10.99.0.5", 20_000);
    assert.equal((await get("http://10.99.255.1/", true)).body, "10.99.0.5");
  });

  it("adds a target without a reload, and sends it requests only once its checks pass", async () => {
    const before = pid();
    await engine.apply([balancer(["10.99.0.5", "10.99.0.6"])]);
    assert.equal(pid(), before, "no reload for a new target");
    const started = performance.now();
    await waitFor("the new target served", async () => (await bodies(url, 4)).includes("10.99.0.6"), 10_000);
    console.log(`new target served ${Math.round(performance.now() - started)} ms after apply()`);
  });

  it("sends a new target nothing before its checks pass, and nothing ever while they fail", async () => {
    // Were it taken as healthy on arrival, .7 would get requests until two checks had timed out (4 s and more).
    await engine.apply([balancer(targets)]);
    const answers: string[] = [];
    const until = performance.now() + 5_000;
    while (performance.now() < until) answers.push(...(await bodies(url, 2)));
    assert.ok(!answers.includes("10.99.0.7"), answers.join(","));
    assert.deepEqual(new Set(answers), new Set(["10.99.0.5", "10.99.0.6"]));
  });

  it("stops sending to a removed target at once, and answers the ALB's 503 with no healthy target", async () => {
    const before = pid();
    await engine.apply([balancer(["10.99.0.6", "10.99.0.7"])]);
    assert.equal(pid(), before, "no reload for a removed target");
    assert.deepEqual(new Set(await bodies(url, 6)), new Set(["10.99.0.6"]));
    await engine.apply([balancer(["10.99.0.7"])]);
    const answer = await get(url);
    assert.equal(answer.status, 503);
    assert.match(answer.body, /<title>503 Service Temporarily Unavailable<\/title>/);
  });

  it("reloads for a change of structure and keeps serving the targets already healthy", async () => {
    await engine.apply([balancer(["10.99.0.5", "10.99.0.6"])]);
    await waitFor("both targets served", async () => new Set(await bodies(url, 6)).size === 2, 10_000);
    const before = pid();
    const changed = balancer(["10.99.0.5", "10.99.0.6"]);
    changed.listeners.push({ protocol: "HTTP", port: 8081, rules: [], defaultTargetGroup: "default-web-80" });
    await engine.apply([changed]);
    assert.notEqual(pid(), before, "a new listener reloads");
    assert.deepEqual(new Set(await bodies(url, 6)), new Set(["10.99.0.5", "10.99.0.6"]), "health state crosses the reload");
    assert.equal((await get(`http://${changed.address}:8081/`)).status, 200);
  });

  it("decides health by the success codes, lists and ranges, as the ALB's matcher does", async () => {
    const withCodes = (codes: string) => {
      const result = balancer(["10.99.0.5"]);
      const group = result.targetGroups[0]!;
      group.healthCheck = { ...(group.healthCheck as HealthCheck), path: "/status/302", successCodes: parseSuccessCodes(codes) };
      return result;
    };
    await engine.apply([withCodes("200,201,302")]);
    await waitFor("302 a success in the list", async () => (await get(url)).status === 200, 10_000);
    await engine.apply([withCodes("200-299")]);
    const unavailable = await waitFor("302 outside the range: no healthy target", async () => {
      const answer = await get(url);
      return answer.status === 503 && answer;
    }, 10_000);
    assert.match(unavailable.body, /503 Service Temporarily Unavailable/);
    await engine.apply([withCodes("200-399")]);
    await waitFor("302 inside a wider range", async () => (await get(url)).status === 200, 10_000);
  });

  it("removes the hosts block, the VPC address and the host namespace's name on stop", async () => {
    await engine.stop();
    assert.equal(readFileSync(hostsFile, "utf8"), "127.0.0.1 localhost\n");
    assert.doesNotMatch((await run("ip", ["-n", namespace, "addr", "show", "dev", "lo"])).stdout, /10\.99\.255\.1/);
    assert.notEqual((await run("ls", [`/run/netns/moor-host-${digest}`])).code, 0);
  });
});
