// The application images in examples/images build with `moor image build` and each does its job
// as a pod: nginx serves, MariaDB accepts connections from other pods, WordPress answers its
// installer page through MariaDB, the Java API stores and returns a record through MariaDB.
// Each build takes under about two minutes here (about three for all four, the Debian mirror
// being the slow part), so they run in the suite; MOOR_TEST_EXAMPLE_IMAGES=0 skips them.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { moorEntry, repoRoot, run } from "../harness.js";
import { execIn, startAgent, type AgentUnderTest } from "../agent/_harness.js";

const enabled = process.env.MOOR_TEST_EXAMPLE_IMAGES !== "0";
const apps = ["nginx", "mariadb", "wordpress", "java-api"];
const addresses = { client: "10.42.0.230", nginx: "10.42.0.231", mariadb: "10.42.0.232", wordpress: "10.42.0.233", java: "10.42.0.234" };

describe("example application images", { skip: !enabled && "MOOR_TEST_EXAMPLE_IMAGES=0" }, () => {
  let moor: AgentUnderTest;
  before(async () => {
    moor = await startAgent();
    for (const app of apps) {
      const startedAt = Date.now();
      const built = await run(process.execPath, [moorEntry, "image", "build", "-t", `moor-examples/${app}:test`, join(repoRoot, "examples/images", app)], {
        env: { ...process.env, MOOR_HOME: moor.home },
        timeoutMs: 1_200_000,
      });
      assert.equal(built.code, 0, `${app}: ${built.stdout.slice(-3000)}${built.stderr}`);
      console.log(`# built ${app} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    }
    moor.createPod("client", moor.fargateNode(addresses.client).metadata.name, { containers: [{ name: "main", image: "busybox", command: ["sleep", "3600"] }] });
    await moor.waitFor("the client pod to run", () => moor.pod("client")?.status?.phase === "Running", 60_000);
  });
  after(async () => {
    await moor?.dispose();
  });

  /** What the client pod's wget gets from a URL, retried while the server starts. */
  async function fetch(url: string, extra: string[] = [], timeoutMs = 90_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = { stdout: "", stderr: "", code: 1 };
    while (Date.now() < deadline) {
      last = await execIn(moor, "client", ["wget", "-q", "-O", "-", ...extra, url]);
      if (last.code === 0) return last.stdout;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.fail(`wget ${url} kept failing: ${last.stderr}`);
  }

  function start(name: keyof typeof addresses, image: string, env: Record<string, string> = {}): void {
    moor.createPod(name, moor.fargateNode(addresses[name]).metadata.name, {
      containers: [{ name: "main", image: `moor-examples/${image}:test`, env: Object.entries(env).map(([key, value]) => ({ name: key, value })) }],
    });
  }

  it("nginx serves its page", async () => {
    start("nginx", "nginx");
    assert.match(await fetch(`http://${addresses.nginx}/`), /Welcome to nginx on Moor/);
  });

  it("MariaDB initialises from the MYSQL_* variables and accepts a connection from another pod", async () => {
    start("mariadb", "mariadb", { MYSQL_ROOT_PASSWORD: "rootpw", MYSQL_DATABASE: "records", MYSQL_USER: "records", MYSQL_PASSWORD: "secret" });
    await moor.waitFor("the mariadb pod to run", () => moor.pod("mariadb")?.status?.phase === "Running", 60_000);
    start("wordpress", "wordpress", { WORDPRESS_DATABASE_HOST: addresses.mariadb, WORDPRESS_DATABASE_USER: "records", WORDPRESS_DATABASE_PASSWORD: "secret", WORDPRESS_DATABASE_NAME: "records" });
    await moor.waitFor("the wordpress pod to run", () => moor.pod("wordpress")?.status?.phase === "Running", 60_000);
    const deadline = Date.now() + 120_000;
    let answer = { stdout: "", stderr: "", code: 1 };
    while (Date.now() < deadline && answer.code !== 0) {
      answer = await execIn(moor, "wordpress", ["mariadb", "-h", addresses.mariadb, "-urecords", "-psecret", "records", "-N", "-e", "SELECT CONCAT('connected as ', CURRENT_USER())"]);
      if (answer.code !== 0) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    assert.equal(answer.stdout, "connected as records@%\n", answer.stderr);
  });

  it("WordPress answers its installer page with the database from the environment", async () => {
    const page = await fetch(`http://${addresses.wordpress}:8080/wp-admin/install.php`);
    assert.match(page, /<title>WordPress &rsaquo; Installation<\/title>/);
    const persisted = await execIn(moor, "wordpress", ["ls", "/bitnami/wordpress"]);
    assert.equal(persisted.stdout, "wp-config.php\nwp-content\nwp-salts.php\n");
  });

  it("the Java API stores a record in MariaDB and returns it", async () => {
    start("java", "java-api", { DB_HOST: addresses.mariadb, DB_NAME: "records", DB_USER: "records", DB_PASSWORD: "secret" });
    const created = await fetch(`http://${addresses.java}:8080/records`, ["--header", "Content-Type: application/json", "--post-data", '{"name":"moor","size":3}'], 120_000);
    assert.equal(created, '{"id":1,"record":{"name":"moor","size":3}}');
    assert.equal(await fetch(`http://${addresses.java}:8080/records`), '[{"id":1,"record":{"name":"moor","size":3}}]');
  });
});
