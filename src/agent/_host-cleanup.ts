// `moor down --all`: what a stopped Moor of one data directory still has on the host, removed.
// `moor down` leaves sandboxes running by design (the next agent re-adopts them); this is the
// way to a clean machine without deleting every workload first. With Moor stopped it kills every
// process of the data directory's sandboxes (the members of its cgroups and the container
// monitors, whose command lines name the data directory), unmounts everything below the data
// directory, and removes its network namespaces and cgroups. What lives inside the data
// directory (state, images, pod directories) stays: the next `moor up` runs the pods again.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { MoorConfig } from "../config/mod.js";
import { unmountBelow } from "../engines/hostmounts/mod.js";
import { VpcNetwork } from "./network/mod.js";
import { AgentLayout } from "./node/mod.js";
import { cgroupMembers, removeCgroup } from "./sandboxes/mod.js";

const killRoundsMax = 100;
const killRoundMs = 50;

/** Removes every trace of the data directory's sandboxes; returns the processes that would not die. */
export async function removeSandboxesFromHost(config: MoorConfig): Promise<number[]> {
  const layout = new AgentLayout(config.home);
  let left: number[] = [];
  for (let round = 0; round < killRoundsMax; round += 1) {
    left = [...new Set([...cgroupMembers(layout.cgroupParent), ...processesNaming(config.home)])];
    if (left.length === 0) break;
    for (const pid of left) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone meanwhile.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, killRoundMs));
  }
  await unmountBelow(config.home);
  await new VpcNetwork(config.home, config.region).remove();
  removeCgroup(`/${layout.cgroupParent}`);
  return left;
}

/** Processes (not zombies, not this one) whose command line names `home`. */
function processesNaming(home: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").some((argument) => argument === home || argument.includes(`${home}/`))) found.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}
