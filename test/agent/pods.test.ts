import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { busybox, condition, containerStatus, execIn, logsOf, ready, startAgent, waitForLog, type AgentUnderTest } from "./_harness.js";

/** Every process's command line (the monitors name their pod's directory). */
function commandLines(): string[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      } catch {
        return "";
      }
    });
}

describe("node agent: pods in runc sandboxes", () => {
  let moor: AgentUnderTest;
  before(async () => {
    moor = await startAgent();
  });
  after(async () => {
    await moor?.dispose();
  });

  it("runs a Fargate pod to Running with the node's address, its size annotation and Ready conditions", async () => {
    const node = moor.fargateNode("10.42.0.20");
    moor.createPod("web", node.metadata.name, {
      containers: [{ name: "main", ...busybox, command: ["sh", "-c", "echo hello from $(hostname); sleep 3600"] }],
    });
    const pod = await ready(moor, "web");
    assert.equal(pod.status.phase, "Running");
    assert.equal(pod.status.podIP, "10.42.0.20");
    assert.equal(pod.status.hostIP, "10.42.0.20");
    assert.equal(pod.metadata.annotations?.CapacityProvisioned, "0.25vCPU 0.5GB");
    assert.equal(pod.status.qosClass, "BestEffort");
    const status = containerStatus(pod, "main");
    assert.ok(status.state.running.startedAt);
    assert.match(status.containerID, /^runc:\/\/[0-9a-f]{32}$/);
    assert.equal(status.ready, true);
    assert.equal(status.started, true);
    assert.equal(status.restartCount, 0);
    for (const type of ["PodReadyToStartContainers", "Initialized", "ContainersReady", "PodScheduled"]) assert.equal(condition(pod, type), "True", type);
    assert.equal(await waitForLog(moor, "web", "hello from web"), "hello from web\n");
    // The pod's cgroup enforces its Fargate size.
    const cgroup = `/sys/fs/cgroup/%s/moor-${createHash("sha256").update(moor.home).digest("hex").slice(0, 8)}/pod${pod.metadata.uid!.replace(/-/g, "")}`;
    assert.equal(readFileSync(`${cgroup.replace("%s", "memory")}/memory.limit_in_bytes`, "utf8").trim(), String(512 * 1024 * 1024));
    assert.equal(readFileSync(`${cgroup.replace("%s", "cpu")}/cpu.cfs_quota_us`, "utf8").trim(), "25000");
    const stamped = await logsOf(moor, "web", { timestamps: true });
    assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z hello from web\n$/);
  });

  it("exec returns the command's output, stdin and exit code", async () => {
    const result = await execIn(moor, "web", ["sh", "-c", "cat; echo to-stderr >&2; exit 7"], { stdin: "from stdin\n" });
    assert.deepEqual(result, { stdout: "from stdin\n", stderr: "to-stderr\n", code: 7 });
    assert.equal((await execIn(moor, "web", ["true"])).code, 0);
    assert.match((await execIn(moor, "web", ["cat", "/etc/hosts"])).stdout, /\n10\.42\.0\.20\tweb\n/);
    assert.match((await execIn(moor, "web", ["cat", "/etc/resolv.conf"])).stdout, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local\nnameserver 10\.100\.0\.10\n/);
  });

  it("exec with a TTY gives the command a terminal whose size follows resize", async () => {
    const session = await moor.agent.io.exec({ namespace: "default", name: "web" }, "main", ["sh", "-c", "sleep 0.3; stty size; tty"], { stdin: false, tty: true });
    session.resize(120, 40);
    let output = "";
    for await (const chunk of session.stdout) output += chunk.toString();
    assert.equal(session.stderr, undefined);
    assert.match(output, /40 120/);
    assert.match(output, /\/dev\/pts\/\d+/);
    assert.equal((await session.exit).code, 0);
  });

  it("keeps two pods apart (processes, files) while they reach each other by address, even across subnets", async () => {
    const other = moor.fargateNode("10.42.16.30", "us-east-1b");
    moor.createPod("peer", other.metadata.name, {
      containers: [{ name: "main", ...busybox, command: ["sh", "-c", "mkdir -p /www && echo peer-page > /www/index.html && echo secret > /peer-file && httpd -f -p 8080 -h /www"] }],
    });
    await ready(moor, "peer");
    const processes = await execIn(moor, "web", ["ps", "-o", "args"]);
    assert.doesNotMatch(processes.stdout, /httpd/);
    assert.equal((await execIn(moor, "web", ["cat", "/peer-file"])).code, 1);
    assert.equal((await execIn(moor, "web", ["hostname"])).stdout, "web\n");
    let fetched = { stdout: "", stderr: "", code: 1 };
    for (let attempt = 0; attempt < 40 && fetched.code !== 0; attempt++) {
      fetched = await execIn(moor, "web", ["wget", "-q", "-O", "-", "http://10.42.16.30:8080/"]);
      if (fetched.code !== 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(fetched.stdout, "peer-page\n");
  });

  it("gives the host namespace no VPC address or route", () => {
    assert.doesNotMatch(execFileSync("ip", ["-4", "addr"], { encoding: "utf8" }), /10\.42\./);
    assert.doesNotMatch(execFileSync("ip", ["-4", "route"], { encoding: "utf8" }), /10\.42\./);
  });

  it("gives a node-group pod an address from its subnet's node-group range", async () => {
    const node = moor.nodeGroupNode("workers-1", "us-east-1b");
    moor.createPod("grouped", node.metadata.name, { containers: [{ name: "main", ...busybox, command: ["sleep", "3600"] }] });
    const pod = await ready(moor, "grouped");
    assert.match(pod.status.podIP, /^10\.42\.2[4-7]\.\d+$/);
    assert.equal(pod.metadata.annotations?.CapacityProvisioned, undefined);
    assert.equal(pod.status.hostIP, "10.42.16.10");
  });

  it("drops what a container wrote outside its volumes when it is replaced, but keeps its emptyDir until the pod goes", async () => {
    const node = moor.fargateNode("10.42.0.40");
    const script = "if [ -f /data/marker ]; then if [ -f /tmp/marker ]; then echo root-kept; else echo root-clean; fi; cat /data/marker; sleep 3600; else touch /tmp/marker; echo volume-kept > /data/marker; exit 1; fi";
    moor.createPod("writer", node.metadata.name, {
      volumes: [{ name: "data", emptyDir: {} }],
      containers: [{ name: "main", ...busybox, command: ["sh", "-c", script], volumeMounts: [{ name: "data", mountPath: "/data" }] }],
    });
    assert.equal(await waitForLog(moor, "writer", "volume-kept"), "root-clean\nvolume-kept\n");
    const pod = await moor.waitFor("the restarted container to be ready", () => {
      const current = moor.pod("writer");
      return condition(current, "Ready") === "True" && containerStatus(current, "main").restartCount === 1 && current;
    });
    assert.equal(containerStatus(pod, "main").lastState.terminated.exitCode, 1);
    assert.equal(containerStatus(pod, "main").lastState.terminated.reason, "Error");
    assert.equal(await logsOf(moor, "writer", { previous: true }), "");
  });

  it("stops a deleted pod with SIGTERM, removes it, and removes its Fargate node, lease and interface", async () => {
    const node = moor.fargateNode("10.42.0.50");
    const pod = moor.createPod("stopper", node.metadata.name, {
      containers: [{ name: "main", ...busybox, command: ["sh", "-c", "trap 'echo got TERM; exit 0' TERM; echo started; while true; do sleep 0.1; done"] }],
    });
    await ready(moor, "stopper");
    await waitForLog(moor, "stopper", "started");
    const lease = await moor.waitFor("the node's lease", () => moor.store.get({ kind: "Lease", namespace: "kube-node-lease", name: node.metadata.name }));
    assert.equal(lease.spec.holderIdentity, node.metadata.name);
    const nodeStatus = moor.store.get({ kind: "Node", name: node.metadata.name })!.status;
    assert.equal(nodeStatus.conditions.find((entry: any) => entry.type === "Ready").status, "True");
    assert.equal(nodeStatus.nodeInfo.kubeletVersion, "v1.32.0-eks-moor");
    assert.match(nodeStatus.nodeInfo.containerRuntimeVersion, /^runc:\/\/\d/);
    const vpc = `moor-vpc-${(await import("node:crypto")).createHash("sha256").update(moor.home).digest("hex").slice(0, 8)}`;
    const links = () => execFileSync("ip", ["-n", vpc, "-o", "link"], { encoding: "utf8" }).split("\n").filter((line) => line.includes("veth")).length;
    const before = links();
    moor.deletePod("stopper", 5);
    await moor.waitFor("the pod to be removed", () => !moor.pod("stopper"));
    assert.equal(moor.store.get({ kind: "Node", name: node.metadata.name }), undefined);
    assert.equal(moor.store.get({ kind: "Lease", namespace: "kube-node-lease", name: node.metadata.name }), undefined);
    assert.equal(links(), before - 1);
    assert.ok(moor.events("stopper").some((event) => event.reason === "Killing" && event.message === "Stopping container main"));
    assert.equal(existsSync(join(moor.home, "pods", pod.metadata.uid!)), false);
  });

  it("kills a container that ignores SIGTERM once the grace period is over", async () => {
    const node = moor.fargateNode("10.42.0.55");
    moor.createPod("stubborn", node.metadata.name, { containers: [{ name: "main", ...busybox, command: ["sh", "-c", "trap '' TERM; echo started; while true; do sleep 0.1; done"] }] });
    await ready(moor, "stubborn");
    await waitForLog(moor, "stubborn", "started");
    moor.deletePod("stubborn", 1);
    // It ignores SIGTERM: only the SIGKILL after the grace period lets the pod go.
    await moor.waitFor("the pod to be removed", () => !moor.pod("stubborn"));
  });

  it("keeps a deleted pod's object while a finalizer holds it", async () => {
    const node = moor.fargateNode("10.42.0.60");
    moor.createPod("held", node.metadata.name, { containers: [{ name: "main", ...busybox, command: ["sleep", "3600"] }] }, { finalizers: ["example.com/hold"] });
    await ready(moor, "held");
    moor.deletePod("held", 0);
    await moor.waitFor("the containers to stop", () => condition(moor.pod("held"), "PodReadyToStartContainers") === "False" || undefined).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(moor.pod("held"));
    const held = moor.pod("held")!;
    moor.store.update({ ...held, metadata: { ...held.metadata, finalizers: [] } });
    await moor.waitFor("the pod to be removed", () => !moor.pod("held"));
  });

  it("keeps containers and their logs running across an agent restart and re-adopts them", async () => {
    const node = moor.fargateNode("10.42.0.70");
    moor.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "steady", namespace: "default" }, data: { key: "value" } });
    moor.createPod("steady", node.metadata.name, {
      volumes: [{ name: "config", configMap: { name: "steady" } }],
      containers: [{ name: "main", ...busybox, command: ["sh", "-c", "i=0; while true; do i=$((i+1)); echo line $i; sleep 0.05; done"], volumeMounts: [{ name: "config", mountPath: "/config" }] }],
    });
    const before = await ready(moor, "steady");
    await waitForLog(moor, "steady", "line 3");
    await moor.agent.stop();
    await new Promise((resolve) => setTimeout(resolve, 400));
    await moor.restartAgent();
    const logs = await waitForLog(moor, "steady", "line 20");
    const numbers = logs.trim().split("\n").map((line) => Number(line.split(" ")[1]));
    assert.deepEqual(numbers, numbers.map((_, index) => index + 1));
    const after = moor.pod("steady")!;
    assert.equal(containerStatus(after, "main").containerID, containerStatus(before, "main").containerID);
    assert.equal(containerStatus(after, "main").restartCount, 0);
    assert.equal((await execIn(moor, "steady", ["cat", "/config/key"])).stdout, "value");
  });

  it("cleans up after a pod that was force-deleted while the agent was down", async () => {
    const node = moor.fargateNode("10.42.0.80");
    moor.createPod("forgotten", node.metadata.name, { containers: [{ name: "main", ...busybox, command: ["sleep", "3600"] }] });
    const pod = await ready(moor, "forgotten");
    assert.ok(commandLines().some((line) => line.includes(pod.metadata.uid!)));
    await moor.agent.stop();
    moor.store.delete({ kind: "Pod", namespace: "default", name: "forgotten" });
    await moor.restartAgent();
    await moor.waitFor("its monitor to go", () => commandLines().every((line) => !line.includes(pod.metadata.uid!)));
    await moor.waitFor("its node to go", () => !moor.store.get({ kind: "Node", name: node.metadata.name }));
  });

  it("refuses host namespaces", async () => {
    const node = moor.fargateNode("10.42.0.90");
    moor.createPod("host", node.metadata.name, { hostNetwork: true, containers: [{ name: "main", ...busybox, command: ["sleep", "3600"] }] });
    const event = await moor.waitFor("the refusal", () => moor.events("host").find((entry) => entry.reason === "FailedCreatePodSandBox"));
    assert.equal(event.message, "Failed to create pod sandbox: host namespaces are not supported: hostNetwork");
    assert.equal(containerStatus(moor.pod("host"), "main")?.state.waiting.reason, "ContainerCreating");
  });
});
