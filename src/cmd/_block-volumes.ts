// Where a data directory's block volumes live and are staged: the one place `moor up` (which
// serves them) and `moor down --all` (which lets go of them) learn it.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type MoorConfig, paths } from "../config/mod.js";
import { BlockVolumeEngine } from "../engines/blockvolumes/mod.js";

export function blockVolumeEngine(config: MoorConfig): BlockVolumeEngine {
  return new BlockVolumeEngine({ root: join(config.home, "volumes"), stagingRoot: join(paths(config).mounts, "volumes") });
}

/**
 * Unstages every volume of the data directory: its staging mount (if still there) and its loop
 * device. Unmounting alone leaves the loop device attached to the volume's file, holding it
 * after the data directory is removed.
 */
export async function unstageBlockVolumes(config: MoorConfig): Promise<void> {
  const engine = blockVolumeEngine(config);
  let files: string[];
  try {
    files = readdirSync(join(config.home, "volumes"));
  } catch {
    return;
  }
  for (const file of files.filter((name) => name.endsWith(".img"))) await engine.unstage(file.slice(0, -".img".length));
}
