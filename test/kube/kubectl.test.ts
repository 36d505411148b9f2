// The real kubectl 1.32 against the built Moor: apply (create, then a strategic merge patch),
// get in every output form, get -w, describe, scale, rollout status, wait, delete, api-resources.
// Pods stay unscheduled here; the test reports them Ready through pods/status as a kubelet would.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { MoorUnderTest } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { markReady, startKubeMoor } from "./_kube.js";

const manifest = (replicas: number, image: string, withB: boolean, tier: boolean) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web${tier ? ", tier: front" : ""}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: main
        image: ${image}
        env: [{name: A, value: "1"}${withB ? ', {name: B, value: "2"}' : ""}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: fast}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteMany]
  resources: {requests: {storage: 1Gi}}
`;

describe("kubectl against the Kubernetes API", () => {
  let moor: MoorUnderTest;
  const dir = mkdtempSync(join(tmpdir(), "moor-kube-e2e-"));
  const file = join(dir, "app.yaml");
  before(async () => {
    moor = await startKubeMoor();
  });
  after(async () => {
    await moor?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("apply creates a multi-document manifest, and a changed re-apply patches it strategically", async () => {
    writeFileSync(file, manifest(1, "busybox:1.36", true, true));
    const first = await kubectlOk(moor, ["apply", "-f", file]);
    assert.match(first, /deployment\.apps\/web created/);
    assert.match(first, /configmap\/settings created/);
    assert.match(first, /persistentvolumeclaim\/data created/);
    writeFileSync(file, manifest(2, "busybox:1.37", false, false));
    const second = await kubectlOk(moor, ["apply", "-f", file]);
    assert.match(second, /deployment\.apps\/web configured/);
    assert.match(second, /configmap\/settings unchanged/);
    const deployment = await kubectlJson(moor, ["get", "deployment", "web"]);
    assert.equal(deployment.spec.replicas, 2);
    assert.equal(deployment.metadata.generation, 2);
    assert.deepEqual(deployment.spec.template.spec.containers[0].env, [{ name: "A", value: "1" }]);
    assert.equal(deployment.spec.template.spec.containers[0].image, "busybox:1.37");
    assert.deepEqual(deployment.metadata.labels, { app: "web" });
  });

  it("get prints tables, wide columns, yaml, jsonpath, names and all namespaces", async () => {
    await waitFor("the deployment's pods", async () => (await kubectlJson(moor, ["get", "pods"])).items.length >= 2);
    const table = await kubectlOk(moor, ["get", "pods"]);
    assert.match(table, /^NAME +READY +STATUS +RESTARTS +AGE\n/);
    assert.match(table, /web-\S+ +0\/1 +Pending +0 +\d+s/);
    const wide = await kubectlOk(moor, ["get", "deploy", "-o", "wide"]);
    assert.match(wide, /NAME +READY +UP-TO-DATE +AVAILABLE +AGE +CONTAINERS +IMAGES +SELECTOR/);
    assert.match(wide, /web +0\/2 +\d +0 +\d+s +main +busybox:1\.37 +app=web/);
    assert.match(await kubectlOk(moor, ["get", "cm", "settings", "-o", "yaml"]), /mode: fast/);
    assert.equal(await kubectlOk(moor, ["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"]), "busybox:1.37");
    const all = await kubectlOk(moor, ["get", "deploy,pvc,svc", "-A"]);
    assert.match(all, /default +deployment\.apps\/web/);
    assert.match(all, /default +persistentvolumeclaim\/data +Pending/);
    assert.match(all, /default +service\/kubernetes +ClusterIP +10\.100\.0\.1/);
    assert.match(await kubectlOk(moor, ["get", "all"]), /replicaset\.apps\/web-/);
    assert.match(await kubectlOk(moor, ["get", "pods", "--show-labels"]), /app=web,pod-template-hash=/);
    assert.match(await kubectlOk(moor, ["get", "po", "-o", "name"]), /^pod\/web-/);
    const empty = await kubectl(moor, ["get", "pods", "-n", "kube-public"]);
    assert.equal(empty.code, 0);
    assert.match(empty.stderr, /No resources found in kube-public namespace/);
  });

  it("get -w streams a change as a table row", async () => {
    const child = spawn("kubectl", ["get", "configmaps", "-w"], { env: { ...moor.env, KUBECACHEDIR: mkdtempSync(join(moor.home, "kubecache-")) } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    try {
      await waitFor("the initial table", () => output.includes("settings"));
      await kubectlOk(moor, ["create", "configmap", "watched", "--from-literal=a=b"]);
      await waitFor("the watched row", () => /watched +1 +\d+s/.test(output));
    } finally {
      child.kill();
    }
  });

  it("scale and rollout status follow the deployment until its pods are ready", async () => {
    assert.match(await kubectlOk(moor, ["scale", "deployment", "web", "--replicas=3"]), /deployment\.apps\/web scaled/);
    let finished = false;
    const status = kubectl(moor, ["rollout", "status", "deployment/web", "--timeout=90s"]).finally(() => (finished = true));
    // Playing the kubelet: each new pod of the rollout reports Ready, until the rollout ends.
    while (!finished) {
      await markReady(moor, "app=web");
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const result = await status;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /deployment "web" successfully rolled out/);
    const table = await kubectlOk(moor, ["get", "deploy", "web"]);
    assert.match(table, /web +3\/3 +3 +3/);
  });

  it("describe shows a deployment with its events and replica sets, a pod and a claim", async () => {
    const deployment = await kubectlOk(moor, ["describe", "deployment", "web"]);
    assert.match(deployment, /Replicas: +3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable/);
    assert.match(deployment, /NewReplicaSet: +web-\S+ \(3\/3 replicas created\)/);
    assert.match(deployment, /Normal +ScalingReplicaSet +.* +deployment-controller +Scaled up replica set web-\S+ from 2 to 3/);
    const pod = (await kubectlJson(moor, ["get", "pods", "-l", "app=web"])).items[0].metadata.name;
    const podText = await kubectlOk(moor, ["describe", "pod", pod]);
    assert.match(podText, /Controlled By: +ReplicaSet\/web-/);
    assert.match(podText, /Status: +Running/);
    const claim = await kubectlOk(moor, ["describe", "pvc", "data"]);
    assert.match(claim, /Status: +Pending/);
    assert.match(claim, /Access Modes:/);
  });

  it("wait --for=condition=Ready returns once the pod reports Ready", async () => {
    await kubectlOk(moor, ["run", "solo", "--image=busybox", "--restart=Never", "--", "sleep", "3600"]);
    const waiting = kubectl(moor, ["wait", "--for=condition=Ready", "pod/solo", "--timeout=60s"]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await markReady(moor, "run=solo");
    const result = await waiting;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /pod\/solo condition met/);
  });

  it("delete and delete -f wait until the objects are gone, and a missing object is NotFound", async () => {
    assert.match(await kubectlOk(moor, ["delete", "pod", "solo"]), /pod "solo" deleted/);
    assert.match(await kubectlOk(moor, ["delete", "-f", file]), /deployment\.apps "web" deleted/);
    await waitFor("the deployment's pods to go", async () => (await kubectlJson(moor, ["get", "pods"])).items.length === 0);
    assert.equal((await kubectlJson(moor, ["get", "rs"])).items.length, 0);
    const missing = await kubectl(moor, ["delete", "pod", "nope"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Error from server \(NotFound\): pods "nope" not found/);
  });

  it("delete --cascade=foreground waits for the dependents, --cascade=orphan leaves them", async () => {
    await kubectlOk(moor, ["create", "deployment", "fg", "--image=busybox", "--replicas=2"]);
    await kubectlOk(moor, ["create", "deployment", "orph", "--image=busybox", "--replicas=1"]);
    await waitFor("their pods", async () => (await kubectlJson(moor, ["get", "pods", "-l", "app in (fg,orph)"])).items.length === 3);
    assert.match(await kubectlOk(moor, ["delete", "deployment", "fg", "--cascade=foreground"]), /deployment\.apps "fg" deleted/);
    assert.equal((await kubectlJson(moor, ["get", "rs,pods", "-l", "app=fg"])).items.length, 0, "foreground: dependents gone before the owner");
    await kubectlOk(moor, ["delete", "deployment", "orph", "--cascade=orphan"]);
    const orphans = await kubectlJson(moor, ["get", "rs", "-l", "app=orph"]);
    assert.equal(orphans.items.length, 1);
    assert.equal(orphans.items[0].metadata.ownerReferences, undefined);
    await kubectlOk(moor, ["delete", "rs", "-l", "app=orph"]);
  });

  it("apply --server-side creates, then removes the fields a re-apply no longer sets", async () => {
    const config = (extra: boolean) => `
apiVersion: v1
kind: ConfigMap
metadata:
  name: server-applied
  labels: {app: demo${extra ? ", extra: yes-label" : ""}}
data:
  kept: "1"
${extra ? '  dropped: "2"' : ""}
`;
    assert.match(await kubectlOk(moor, ["apply", "--server-side", "-f", "-"], config(true)), /configmap\/server-applied serverside-applied/);
    await kubectlOk(moor, ["apply", "--server-side", "-f", "-"], config(false));
    const object = await kubectlJson(moor, ["get", "configmap", "server-applied"]);
    assert.deepEqual(object.data, { kept: "1" });
    assert.deepEqual(object.metadata.labels, { app: "demo" });
  });

  it("api-resources lists the served kinds with short names, the Moor kinds are there, and auth can-i says yes", async () => {
    const text = await kubectlOk(moor, ["api-resources"]);
    assert.match(text, /deployments +deploy +apps\/v1 +true +Deployment/);
    assert.match(text, /persistentvolumeclaims +pvc +v1 +true +PersistentVolumeClaim/);
    assert.match(text, /filesystems +fs +efs\.moor\.dev\/v1 +false +FileSystem/);
    assert.match(text, /fargateprofiles +eks\.moor\.dev\/v1 +false +FargateProfile/);
    assert.equal((await kubectlOk(moor, ["auth", "can-i", "create", "deployments"])).trim(), "yes");
    assert.match(await kubectlOk(moor, ["auth", "whoami"]), /Username +moor/);
    const wide = await kubectlOk(moor, ["api-resources", "-o", "wide"]);
    assert.match(wide, /pods +po +v1 +true +Pod +create,delete,deletecollection,get,list,patch,update,watch +all/);
  });
});
