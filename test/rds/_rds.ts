// Shared set-up of the RDS tests: the two server images' names (Moor builds them when the first
// instance of their engine is created), a client pod of each once it is there (the mariadb and
// psql clients), and running a client command in them.

import type { MoorUnderTest } from "../harness.js";
import { kubectl, kubectlOk } from "../kubectl.js";

export const serverImages = { mariadb: "moor/rds-mariadb:10.11", postgres: "moor/rds-postgres:15" };

/** How long a first instance may take to be available: its server image is built meanwhile. */
export const firstAvailableMs = 600_000;

/** A client pod (in `default`, a Fargate pod with the cluster security group) running the image's clients. */
export async function startClient(moor: MoorUnderTest, name: string, image: string): Promise<void> {
  await kubectlOk(moor, ["run", name, `--image=${image}`, "--restart=Never", "--command", "--", "sleep", "3600"]);
  await kubectlOk(moor, ["wait", "--for=condition=Ready", `pod/${name}`, "--timeout=120s"]);
}

export function inClient(moor: MoorUnderTest, name: string, command: string[]) {
  return kubectl(moor, ["exec", name, "--", ...command]);
}
