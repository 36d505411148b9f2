// `moor down`: stop the embedded Moor that serves this data directory, and wait until it is gone.

import { loadConfig, paths } from "../config/mod.js";
import { isAlive, readRunFile } from "./_runfile.js";
import { VpcNetwork } from "../agent/mod.js";
import { removeHostsBlock } from "../engines/loadbalancers/mod.js";

const stopTimeoutMs = 60_000;

export async function commandDown(_args: string[]): Promise<number> {
  const config = loadConfig();
  const info = readRunFile(paths(config).runFile);
  if (!info) {
    console.log(`Moor is not running for "${config.home}"`);
    // A Moor that died leaves its load balancers' names in /etc/hosts.
    await removeHostsBlock(new VpcNetwork(config.home, config.region).digest);
    return 0;
  }
  process.kill(info.pid, "SIGTERM");
  const deadline = Date.now() + stopTimeoutMs;
  while (isAlive(info.pid)) {
    if (Date.now() > deadline) {
      console.error(`moor: Moor (pid ${info.pid}) did not stop within ${stopTimeoutMs / 1000} s`);
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.log(`Moor stopped (pid ${info.pid})`);
  return 0;
}
