// RDS's server images in the embedded wiring: the RDS controller runs `moor/rds-mariadb:10.11`
// and `moor/rds-postgres:15`; one missing from the agent's image store is built by Moor's
// builder from examples/images/{mariadb,postgres} (base images from the machine-wide cache, the
// step cache of this data directory), its output in <home>/build/rds-<server>.log.

import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { MoorConfig } from "../config/mod.js";
import type { Clock } from "../clock/mod.js";
import { createServerImageSource, defaultServerImages, type ServerImageSource, type ServerName } from "../controllers/rds/mod.js";
import { buildImage, machineCacheDirectory } from "../engines/builder/mod.js";
import type { ImageStore } from "../engines/images/mod.js";

/** The build contexts of the server images, in the repository beside dist/. */
export const serverImageContexts: Record<ServerName, string> = {
  mariadb: fileURLToPath(new URL("../../../examples/images/mariadb", import.meta.url)),
  postgres: fileURLToPath(new URL("../../../examples/images/postgres", import.meta.url)),
};

export function rdsServerImages(config: MoorConfig, images: () => ImageStore, clock: Clock): ServerImageSource {
  return createServerImageSource({
    references: defaultServerImages,
    clock,
    present: (reference) => images().find(reference) !== undefined,
    build: async (server, reference) => {
      const log = join(config.home, "build", `rds-${server}.log`);
      mkdirSync(join(config.home, "build"), { recursive: true });
      writeFileSync(log, "");
      console.log(`moor: building ${reference} for RDS (output in ${log})`);
      try {
        await buildImage(images(), {
          contextDirectory: serverImageContexts[server],
          tags: [reference],
          buildArgs: {},
          cacheDirectory: machineCacheDirectory(),
          stepCacheDirectory: join(config.home, "build", "cache"),
          runcRoot: join(config.home, "build", "runc"),
          output: (text) => appendFileSync(log, text),
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.error(`moor: building ${reference} failed: ${message}`);
        throw new Error(`${message} (build output in ${log})`);
      }
    },
  });
}
