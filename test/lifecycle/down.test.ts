// `moor down` with pods running (issue 16 finding 4): it returns and the Moor process is gone
// while the pods keep running; `moor down --all` then leaves nothing of the data directory on
// the host: no process, no mount, no network namespace, no cgroup.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { loadConfig, paths } from "../../src/config/mod.js";
import { readMountsSync } from "../../src/engines/hostmounts/mod.js";
import { moorEntry, startMoor, type MoorUnderTest } from "../harness.js";
import { kubectlJson, kubectlOk, waitFor } from "../kubectl.js";

const run = promisify(execFile);

/** Whether a process of this pid exists and has not exited (a zombie has). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

const processesNaming = (home: string) =>
  readdirSync("/proc").filter((pid) => {
    try {
      return /^\d+$/.test(pid) && running(Number(pid)) && readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").some((argument) => argument.includes(`${home}/`));
    } catch {
      return false;
    }
  });

const cgroupsOf = (digest: string) => readdirSync("/sys/fs/cgroup").filter((hierarchy) => existsSync(`/sys/fs/cgroup/${hierarchy}/moor-${digest}`));

async function moorCommand(moor: MoorUnderTest, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [moorEntry, ...args], { env: moor.env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe("moor down", () => {
  let moor: MoorUnderTest | undefined;
  after(async () => {
    await moor?.dispose();
  });

  it("returns with pods running and the process gone; --all then leaves nothing on the host", async () => {
    moor = await startMoor();
    const home = moor.home;
    const digest = createHash("sha256").update(home).digest("hex").slice(0, 8);
    for (const name of ["first", "second"]) await kubectlOk(moor, ["run", name, "--image=busybox", "--image-pull-policy=IfNotPresent", "--", "sleep", "3600"]);
    for (const name of ["first", "second"]) {
      await waitFor(`pod ${name} to run`, async () => (await kubectlJson(moor!, ["get", "pod", name])).status?.phase === "Running", 30_000);
    }
    const runFile = JSON.parse(readFileSync(paths(loadConfig(moor.env)).runFile, "utf8")) as { pid: number };

    const down = await moorCommand(moor, ["down"]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, new RegExp(`Moor stopped \\(pid ${runFile.pid}\\)`));
    assert.equal(running(runFile.pid), false, "the Moor process is gone");
    assert.ok(processesNaming(home).length > 0, "the pods' containers keep running after a plain moor down");

    const all = await moorCommand(moor, ["down", "--all"]);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(processesNaming(home), [], "no process of the data directory runs");
    assert.deepEqual(readMountsSync().filter((entry) => entry.mountPoint.startsWith(`${home}/`)).map((entry) => entry.mountPoint), [], "nothing is mounted below the data directory");
    const { stdout: namespaces } = await run("ip", ["netns", "list"]);
    assert.deepEqual(namespaces.split("\n").filter((line) => line.includes(digest)), [], "no network namespace of the data directory");
    assert.deepEqual(cgroupsOf(digest), [], "no cgroup of the data directory");
    assert.equal(existsSync(`/run/moor/owners/${digest}`), false);
  });
});
