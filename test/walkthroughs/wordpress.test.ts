// Issue 15, walkthrough 1: examples/wordpress/walkthrough.sh (AWS's WordPress on EKS Fargate with
// EFS, RDS and an ALB, with only the endpoint changed) against a Moor of its own, then the
// guide's test twice through the ALB's hostname from the host: over plain HTTP (install, log in,
// activate a theme, scale 0 and 3) and in headless Chromium (the same, after the database is
// emptied, with a screenshot of the final page kept as an artefact). Both share one walkthrough.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { curl } from "../traffic-lb/_lb.js";
import { seedExampleImages } from "./_images.js";
import { runWalkthrough } from "./_walkthrough.js";
import { activateTheme, install, logIn, themeOf, WordPressClient } from "./_wordpress-http.js";
import { activateInBrowser, artefactsDirectory, installInBrowser, logInInBrowser, openBrowser, renderedStylesheets } from "./_wordpress-browser.js";

const enabled = process.env.MOOR_TEST_EXAMPLE_IMAGES !== "0";
const walkthroughTimeoutMs = 600_000;

describe("the WordPress walkthrough (EKS Fargate, EFS, RDS, ALB)", { skip: !enabled && "MOOR_TEST_EXAMPLE_IMAGES=0" }, () => {
  let moor: MoorUnderTest;
  let home = "";
  let output = "";
  let base = "";

  before(async () => {
    home = mkdtempSync(join(tmpdir(), "moor-test-"));
    await seedExampleImages(home, [{ app: "wordpress", tag: "moor-examples/wordpress:latest" }, { app: "mariadb", tag: "moor/rds-mariadb:10.11" }]);
    moor = await startMoor({ home, env: { MOOR_DEFAULT_PROFILE: "false" } });
    const walked = await runWalkthrough(moor, "wordpress", home, walkthroughTimeoutMs);
    output = walked.output;
    base = walked.stdout.trim().split("\n").at(-1)!;
    // Not the guide's: the ALB's shortest health checks, so that scaling shows in seconds rather
    // than after two 15 s intervals (the walkthrough itself keeps the defaults).
    await kubectlOk(moor, ["annotate", "ingress", "wordpress", "alb.ingress.kubernetes.io/healthcheck-interval-seconds=5", "alb.ingress.kubernetes.io/healthcheck-timeout-seconds=4"]);
  });
  after(async () => {
    await moor?.dispose();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  async function scaleTo(replicas: number): Promise<void> {
    await kubectlOk(moor, ["scale", "deployment/wordpress", `--replicas=${replicas}`]);
    await waitFor(`${replicas} ready WordPress pods`, async () => {
      const pods = (await kubectlJson(moor, ["get", "pods", "-l", "app.kubernetes.io/name=wordpress"])).items;
      return pods.length === replicas && pods.every((pod: any) => pod.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True"));
    }, 120_000);
  }

  it("prints what the guide's lines expect: the VPC, the RDS endpoint, three Fargate pods and the ALB", async () => {
    assert.match(output, /^VPC vpc-[0-9a-f]{17}, CIDR 10\.42\.0\.0\/16$/m);
    assert.match(output, /^fargate profile "fp-default" ACTIVE$/m);
    assert.match(output, /^creating\n/m, "create-db-instance's --query DBInstance.DBInstanceStatus");
    assert.match(output, /^security group sg-[0-9a-f]{17}, endpoint wp-db\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/m);
    assert.match(base, /^http:\/\/k8s-default-wordpres-[0-9a-f]{10}-\d+\.us-east-1\.elb\.amazonaws\.com\/$/);
    const pods = (await kubectlJson(moor, ["get", "pods", "-l", "app.kubernetes.io/name=wordpress"])).items;
    assert.equal(pods.length, 3);
    for (const pod of pods) {
      assert.match(pod.spec.nodeName, /^fargate-ip-/);
      assert.equal(pod.metadata.labels["eks.amazonaws.com/fargate-profile"], "wordpress.fp-default");
      assert.equal(pod.metadata.annotations.CapacityProvisioned, "1vCPU 2GB");
    }
    assert.equal((await kubectlJson(moor, ["get", "pvc", "wordpress-efs-pvc"])).status.phase, "Bound");
    const annotations = (await kubectlJson(moor, ["get", "ingress", "wordpress"])).metadata.annotations;
    for (const [name, value] of Object.entries({ scheme: "internet-facing", "target-type": "ip", "healthcheck-path": "/index.php", "success-codes": "200,201,302" })) {
      assert.equal(annotations[`alb.ingress.kubernetes.io/${name}`], value);
    }
    // wp-content lives on the claim, owned by the access point's POSIX user whoever wrote it.
    const listed = await kubectlOk(moor, ["exec", "deploy/wordpress", "--", "stat", "-c", "%n %u:%g", "/bitnami/wordpress/wp-content/themes/twentytwentyone", "/bitnami/wordpress/wp-config.php"]);
    assert.equal(listed, "/bitnami/wordpress/wp-content/themes/twentytwentyone 1000:1000\n/bitnami/wordpress/wp-config.php 1000:1000\n");
  });

  it("over HTTP: installs WordPress, logs in, activates twentytwentyone; 503 at 0 replicas, the theme again at 3", async () => {
    const client = new WordPressClient(base);
    const installed = await install(client, "Moor on HTTP");
    assert.equal(installed.status, 200);
    assert.match(installed.body, /<h1>Success!<\/h1>/);
    const loggedIn = await logIn(client);
    assert.equal(loggedIn.status, 302, loggedIn.body.slice(0, 2000));
    assert.equal(loggedIn.location, new URL("/wp-admin/", base).href);
    assert.ok(client.hasCookie("wordpress_logged_in_"));
    assert.deepEqual(themeOf((await client.get("/")).body), ["twentytwentythree"]);
    const activated = await activateTheme(client, "twentytwentyone");
    assert.equal(activated.status, 302);
    assert.match(activated.location, /themes\.php\?activated=true$/);
    assert.deepEqual(themeOf((await client.get("/")).body), ["twentytwentyone"]);

    await scaleTo(0);
    await waitFor("the ALB to answer 503 with no targets", async () => (await curl(base)).status === 503);
    await scaleTo(3);
    const page = await waitFor("the ALB to answer the front page again", async () => {
      const answer = await curl(base);
      return answer.status === 200 && answer.body;
    }, 120_000);
    assert.deepEqual(themeOf(page), ["twentytwentyone"]);
    assert.match(page, /<title>Moor on HTTP<\/title>/);
  });

  it("in Chromium: installs afresh, logs in, activates twentytwentytwo; after 0 and 3 replicas the page renders it", async () => {
    // An empty database, so the installer runs again (the files on the claim stay).
    const endpoint = /endpoint (\S+)$/m.exec(output)![1]!;
    await kubectlOk(moor, ["exec", "deploy/wordpress", "--", "mariadb", "-h", endpoint, "-uadmin", "-pWordpress-Moor-1", "-e", "DROP DATABASE wordpress; CREATE DATABASE wordpress"]);
    const { browser, page } = await openBrowser();
    try {
      await installInBrowser(page, base, "Moor in Chromium");
      await logInInBrowser(page, base);
      await activateInBrowser(page, base, "twentytwentytwo");
      await scaleTo(0);
      await waitFor("the ALB to answer 503 to the browser", async () => (await renderedStylesheets(page, base)).status === 503);
      await scaleTo(3);
      await waitFor("the front page in the browser", async () => (await renderedStylesheets(page, base)).status === 200, 120_000);
      // Then every load, whichever replica the ALB picks (round robin over three), renders the
      // theme with the site's title; the page's HTML is in the message when one does not.
      for (let load = 0; load < 6; load++) {
        const rendered = await renderedStylesheets(page, base);
        const context = `load ${load + 1}: status ${rendered.status}\n${(await page.content()).slice(0, 4000)}`;
        assert.equal(rendered.status, 200, context);
        assert.ok(rendered.stylesheets.some((href) => href.includes("/wp-content/themes/twentytwentytwo/")), context);
        assert.equal(await page.title(), "Moor in Chromium", context);
      }
      const screenshot = join(artefactsDirectory(), "wordpress-front-page.png");
      await page.screenshot({ path: screenshot, fullPage: true });
      console.log(`# screenshot: ${screenshot}`);
    } finally {
      await browser.close();
    }
  });
});
