// Issue 11, scenario 3 and the Ingress part of scenario 5: an Ingress of class alb with the
// guide's annotations, reached from the host by its AWS hostname through Moor's proxy.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { startMoor, type MoorUnderTest } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { bodies, curl, webDeployment } from "./_lb.js";

const ingress = (name: string, backend: { name: string; port: Record<string, unknown> }, annotations: Record<string, string> = {}) =>
  JSON.stringify({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name, annotations },
    spec: { ingressClassName: "alb", rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: backend } }] } }] },
  });

const guideAnnotations = {
  "alb.ingress.kubernetes.io/scheme": "internet-facing",
  "alb.ingress.kubernetes.io/target-type": "ip",
  "alb.ingress.kubernetes.io/healthcheck-path": "/index.php",
  "alb.ingress.kubernetes.io/success-codes": "200,201,302",
  // The ALB's shortest checks, so the test waits seconds rather than half a minute.
  "alb.ingress.kubernetes.io/healthcheck-interval-seconds": "5",
  "alb.ingress.kubernetes.io/healthcheck-timeout-seconds": "2",
};

async function podNames(moor: MoorUnderTest): Promise<string[]> {
  const list = await kubectlJson(moor, ["get", "pods", "-l", "app=web"]);
  return list.items.filter((pod: any) => !pod.metadata.deletionTimestamp).map((pod: any) => pod.metadata.name).sort();
}

async function eventsOf(moor: MoorUnderTest, name: string): Promise<string[]> {
  const list = await kubectlJson(moor, ["get", "events", "--field-selector", `involvedObject.name=${name}`]);
  return list.items.map((event: any) => `${event.type} ${event.reason} ${event.message}`);
}

describe("ALB Ingress reached from the host", () => {
  let moor: MoorUnderTest;
  let hostname = "";
  let digest = "";
  before(async () => {
    moor = await startMoor();
    digest = createHash("sha256").update(moor.home).digest("hex").slice(0, 8);
  });
  after(async () => {
    await moor?.dispose();
    assert.doesNotMatch(readFileSync("/etc/hosts", "utf8"), new RegExp(`moor ${digest}`), "the hosts block goes with Moor");
  });

  it("serves Ingress and the alb IngressClass, and refuses extensions/v1beta1 as Kubernetes 1.22+ does", async () => {
    assert.match(await kubectlOk(moor, ["get", "ingressclass", "alb"]), /^alb\s+ingress\.k8s\.aws\/alb\s/m);
    const old = await kubectl(moor, ["apply", "-f", "-"], JSON.stringify({ apiVersion: "extensions/v1beta1", kind: "Ingress", metadata: { name: "old" }, spec: { backend: { serviceName: "web", servicePort: 80 } } }));
    assert.notEqual(old.code, 0);
    assert.match(old.stderr, /no matches for kind "Ingress" in version "extensions\/v1beta1"/);
  });

  it("gives the Ingress an internet-facing ALB hostname, shown as ADDRESS and resolvable on the host", async () => {
    await kubectlOk(moor, ["apply", "-f", "-"], webDeployment("web", 2));
    await kubectlOk(moor, ["expose", "deployment", "web", "--port", "80", "--target-port", "http"]);
    await kubectlOk(moor, ["apply", "-f", "-"], ingress("web", { name: "web", port: { number: 80 } }, guideAnnotations));
    hostname = await waitFor("the Ingress's hostname", async () => (await kubectlJson(moor, ["get", "ingress", "web"])).status?.loadBalancer?.ingress?.[0]?.hostname);
    assert.match(hostname, /^k8s-default-web-[0-9a-f]{10}-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    assert.match(await kubectlOk(moor, ["get", "ingress", "web"]), new RegExp(`^web\\s+alb\\s+\\*\\s+${hostname.replaceAll(".", "\\.")}\\s+80\\s`, "m"));
    const block = readFileSync("/etc/hosts", "utf8").split(`# BEGIN moor ${digest}\n`)[1]?.split(`# END moor ${digest}`)[0] ?? "";
    assert.match(block, new RegExp(`^127\\.\\d+\\.\\d+\\.\\d+ ${hostname.replaceAll(".", "\\.")}$`, "m"));
  });

  it("answers curl on the hostname from both replicas once they pass their health checks", async () => {
    const url = `http://${hostname}/`;
    const names = await waitFor<string[]>("both replicas Running", async () => {
      const pods = await kubectlJson(moor, ["get", "pods", "-l", "app=web"]);
      return pods.items.length === 2 && pods.items.every((pod: any) => pod.status.phase === "Running") && (await podNames(moor));
    });
    // A batch that starts before the first target passes its checks gets the ALB's 503 for its
    // first requests (no healthy target yet), as AWS answers: wait for a batch made only of
    // answers, from both replicas.
    const seen = await waitFor("answers from both replicas, and nothing else", async () => {
      const answers = new Set(await bodies(url, 6));
      return names.every((name) => answers.has(name)) && answers.size === names.length && answers;
    });
    assert.deepEqual([...seen].sort(), names);
  });

  it("is reached from a pod by its hostname, which cluster DNS answers with the ALB's address in the VPC", async () => {
    const names = await podNames(moor);
    const answer = await waitFor("an answer through the ALB from a pod", async () => {
      const result = await kubectl(moor, ["exec", names[0]!, "--", "http-get", "-t", "3", `http://${hostname}/`]);
      return result.code === 0 && result.stdout.trim();
    }, 15_000);
    assert.ok(names.includes(answer), answer);
    const block = readFileSync("/etc/hosts", "utf8");
    assert.ok(!block.includes(`10.42.255.`), "the VPC address is for pods; the host resolves the loopback one");
  });

  it("sends nothing to a replica that fails its health check", async () => {
    const url = `http://${hostname}/`;
    const [failing, healthy] = await podNames(moor);
    await kubectlOk(moor, ["exec", failing!, "--", "rm", "/www/index.php"]);
    await waitFor("the failing replica taken out", async () => (await bodies(url, 6)).every((body) => body === healthy));
    assert.deepEqual(new Set(await bodies(url, 20)), new Set([healthy]));
  });

  it("answers 503 as an ALB does with no target, and serves again after scaling back to 3", async () => {
    const url = `http://${hostname}/`;
    await kubectlOk(moor, ["scale", "deployment", "web", "--replicas=0"]);
    const unavailable = await waitFor("503 with no targets", async () => {
      const answer = await curl(url);
      return answer.status === 503 && answer;
    });
    assert.match(unavailable.body, /<title>503 Service Temporarily Unavailable<\/title>/);
    await kubectlOk(moor, ["scale", "deployment", "web", "--replicas=3"]);
    const served = await waitFor("answers after scaling to 3", async () => {
      const answer = await curl(url);
      return answer.status === 200 && answer.body.trim();
    });
    assert.ok((await podNames(moor)).includes(served), served);
  });

  it("records the LBC's events for an Ingress naming a missing Service or port, and keeps serving the others", async () => {
    await kubectlOk(moor, ["apply", "-f", "-"], ingress("no-service", { name: "nope", port: { number: 80 } }, guideAnnotations));
    await kubectlOk(moor, ["apply", "-f", "-"], ingress("no-port", { name: "web", port: { number: 81 } }, guideAnnotations));
    await kubectlOk(moor, ["apply", "-f", "-"], ingress("instance", { name: "web", port: { number: 80 } }, { "alb.ingress.kubernetes.io/target-type": "instance" }));
    const missingService = await waitFor("the missing Service's event", async () => (await eventsOf(moor, "no-service")).find((event) => event.includes("FailedBuildModel")));
    assert.equal(missingService, 'Warning FailedBuildModel Failed build model due to ingress: default/no-service: Service "nope" not found');
    const missingPort = await waitFor("the missing port's event", async () => (await eventsOf(moor, "no-port")).find((event) => event.includes("FailedBuildModel")));
    assert.equal(missingPort, "Warning FailedBuildModel Failed build model due to ingress: default/no-port: unable to find port 81 on service default/web");
    const instance = await waitFor("the instance target event", async () => (await eventsOf(moor, "instance")).find((event) => event.includes("FailedBuildModel")));
    assert.match(instance, /default\/instance: TargetGroup port is empty\. When using Instance targets, your service be must of type 'NodePort' or 'LoadBalancer'$/);
    assert.equal((await kubectlJson(moor, ["get", "ingress", "no-port"])).status?.loadBalancer?.ingress, undefined);
    assert.equal((await curl(`http://${hostname}/`)).status, 200);
  });

  it("builds an instance-target ALB on a NodePort Service but registers no Fargate pod, so it answers 503 as on EKS Fargate", async () => {
    await kubectlOk(moor, ["expose", "deployment", "web", "--name", "web-np", "--type", "NodePort", "--port", "80", "--target-port", "http"]);
    await kubectlOk(moor, ["apply", "-f", "-"], ingress("instance-np", { name: "web-np", port: { number: 80 } }, { "alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/target-type": "instance" }));
    const instanceHost = await waitFor("the instance ALB's hostname", async () => (await kubectlJson(moor, ["get", "ingress", "instance-np"])).status?.loadBalancer?.ingress?.[0]?.hostname);
    const answer = await waitFor("an answer from the instance ALB", async () => {
      const got = await curl(`http://${instanceHost}/`);
      return got.status !== 0 && got;
    });
    assert.equal(answer.status, 503);
    assert.equal((await curl(`http://${hostname}/`)).status, 200, "the ip-target ALB still serves");
  });
});
