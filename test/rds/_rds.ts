// Shared set-up of the RDS tests: the two server images built from examples/images under the
// names the RDS controller runs, a client pod of each (the mariadb and psql clients), and
// running a client command in them.

import assert from "node:assert/strict";
import { join } from "node:path";
import { type MoorUnderTest, moorEntry, repoRoot, run } from "../harness.js";
import { kubectl, kubectlOk } from "../kubectl.js";

export const serverImages = { mariadb: "moor/rds-mariadb:10.11", postgres: "moor/rds-postgres:15" };

export async function buildServerImages(moor: MoorUnderTest, which: ("mariadb" | "postgres")[]): Promise<void> {
  for (const name of which) {
    const built = await run(process.execPath, [moorEntry, "image", "build", "-t", serverImages[name], join(repoRoot, "examples/images", name)], { env: moor.env, timeoutMs: 1_200_000 });
    assert.equal(built.code, 0, `${name}: ${built.stdout.slice(-3000)}${built.stderr}`);
  }
}

/** A client pod (in `default`, a Fargate pod with the cluster security group) running the image's clients. */
export async function startClient(moor: MoorUnderTest, name: string, image: string): Promise<void> {
  await kubectlOk(moor, ["run", name, `--image=${image}`, "--restart=Never", "--command", "--", "sleep", "3600"]);
  await kubectlOk(moor, ["wait", "--for=condition=Ready", `pod/${name}`, "--timeout=120s"]);
}

export function inClient(moor: MoorUnderTest, name: string, command: string[]) {
  return kubectl(moor, ["exec", name, "--", ...command]);
}
