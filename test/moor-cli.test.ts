// The moor command as a person runs it: up -d, status, env, down, on a fresh data directory.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { freePorts, moorEntry, parseExports, run } from "./harness.js";

const home = mkdtempSync(join(tmpdir(), "moor-cli-"));
after(() => rmSync(home, { recursive: true, force: true }));

it("moor up -d, status, env and down manage one embedded Moor per data directory", async () => {
  const [awsPort, kubePort] = await freePorts(2);
  const env = { ...process.env, MOOR_HOME: home, MOOR_AWS_PORT: String(awsPort), MOOR_KUBE_PORT: String(kubePort) };
  const moor = (...args: string[]) => run(process.execPath, [moorEntry, ...args], { env });

  const before = await moor("status");
  assert.equal(before.code, 3);
  assert.match(before.stdout, /Moor is not running/);

  const up = await moor("up", "-d");
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, /Moor is running \(pid \d+/);
  assert.match(up.stdout, /subnet-042a0000000000001 +10\.42\.0\.0\/20 +us-east-1a \(use1-az1\)/);

  const again = await moor("up", "-d");
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already runs/);

  const status = await moor("status");
  assert.equal(status.code, 0);
  assert.match(status.stdout, new RegExp(`AWS endpoint +http://127\\.0\\.0\\.1:${env.MOOR_AWS_PORT}`));

  const exported = parseExports((await moor("env")).stdout);
  assert.equal(exported.AWS_ENDPOINT_URL, `http://127.0.0.1:${env.MOOR_AWS_PORT}`);
  assert.equal(exported.AWS_REGION, "us-east-1");
  assert.ok(exported.AWS_ACCESS_KEY_ID);

  const down = await moor("down");
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /Moor stopped/);
  assert.equal((await moor("status")).code, 3);
});

it("moor rejects an unknown command with usage and exit code 2", async () => {
  const result = await run(process.execPath, [moorEntry, "frobnicate"], { env: { ...process.env, MOOR_HOME: home } });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown command "frobnicate"/);
  assert.match(result.stderr, /Usage: moor <command>/);
});
