// Issue 11, scenario 4's LoadBalancer part: a Service of type LoadBalancer gets an NLB hostname
// under EXTERNAL-IP, curl from the host reaches its pods through it, and a pod reaches it by the
// same name through cluster DNS.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startMoor, type MoorUnderTest } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { curl, webDeployment } from "./_lb.js";

describe("LoadBalancer Service reached from the host", () => {
  let moor: MoorUnderTest;
  before(async () => {
    moor = await startMoor();
  });
  after(async () => {
    await moor?.dispose();
  });

  it("shows an NLB hostname under EXTERNAL-IP, and answers curl on it", async () => {
    await kubectlOk(moor, ["apply", "-f", "-"], webDeployment("api", 1));
    await kubectlOk(moor, ["apply", "-f", "-"], JSON.stringify({
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "api",
        annotations: {
          "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
          "service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval": "5",
          "service.beta.kubernetes.io/aws-load-balancer-healthcheck-healthy-threshold": "2",
        },
      },
      spec: { type: "LoadBalancer", selector: { app: "api" }, ports: [{ port: 8080, targetPort: 80 }] },
    }));
    const hostname = await waitFor("the Service's hostname", async () => (await kubectlJson(moor, ["get", "svc", "api"])).status?.loadBalancer?.ingress?.[0]?.hostname);
    assert.match(hostname, /^k8s-default-api-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
    assert.match(await kubectlOk(moor, ["get", "svc", "api"]), new RegExp(`^api\\s+LoadBalancer\\s+\\S+\\s+${hostname.replaceAll(".", "\\.")}\\s+8080:?\\S*/TCP\\s`, "m"));
    const pod = await waitFor("the pod Running", async () => (await kubectlJson(moor, ["get", "pods", "-l", "app=api"])).items.find((item: any) => item.status.phase === "Running")?.metadata.name);
    const answer = await waitFor("an answer through the NLB", async () => {
      const result = await curl(`http://${hostname}:8080/`);
      return result.status === 200 && result.body.trim();
    });
    assert.equal(answer, pod);
    // From a pod, the same name resolves through cluster DNS to the NLB's VPC address.
    const inside = await waitFor("an answer through the NLB from a pod", async () => {
      const result = await kubectl(moor, ["exec", pod, "--", "http-get", "-t", "3", `http://${hostname}:8080/`]);
      return result.code === 0 && result.stdout.trim();
    }, 15_000);
    assert.equal(inside, pod);
  });
});
