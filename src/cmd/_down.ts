// `moor down`: stop the embedded Moor that serves this data directory, and wait until it is gone.
// Sandboxes keep running (the next `moor up` re-adopts them); `moor down --all` also removes them
// and everything they hold on the host: processes, mounts, block volumes' loop devices, network
// namespaces, cgroups.

import { parseArgs } from "node:util";
import { removeSandboxesFromHost } from "../agent/mod.js";
import { loadConfig, paths } from "../config/mod.js";
import { isProcessRunning } from "../engines/command/mod.js";
import { readRunFile } from "./_runfile.js";
import { VpcNetwork } from "../agent/mod.js";
import { removeHostsBlock } from "../engines/loadbalancers/mod.js";
import { registryHostsBlock } from "./_ecr.js";
import { unstageBlockVolumes } from "./_block-volumes.js";

const stopTimeoutMs = 60_000;
const pollMs = 20;

export async function commandDown(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { all: { type: "boolean" } } });
  const config = loadConfig();
  const info = readRunFile(paths(config).runFile);
  if (!info) {
    console.log(`Moor is not running for "${config.home}"`);
    // A Moor that died leaves its load balancers' names in /etc/hosts.
    const digest = new VpcNetwork(config.home, config.region).digest;
    await removeHostsBlock(digest);
    await removeHostsBlock(registryHostsBlock(digest));
  } else if (!(await stopMoor(info.pid))) {
    return 1;
  }
  if (!values.all) return 0;
  const left = await removeSandboxesFromHost(config);
  if (left.length > 0) {
    console.error(`moor: processes ${left.join(", ")} of "${config.home}" would not stop`);
    return 1;
  }
  await unstageBlockVolumes(config);
  console.log(`Sandboxes, mounts and network namespaces of "${config.home}" removed`);
  return 0;
}

async function stopMoor(pid: number): Promise<boolean> {
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + stopTimeoutMs;
  while (isProcessRunning(pid)) {
    if (Date.now() > deadline) {
      console.error(`moor: Moor (pid ${pid}) did not stop within ${stopTimeoutMs / 1000} s`);
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  console.log(`Moor stopped (pid ${pid})`);
  return true;
}
