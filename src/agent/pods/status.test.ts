import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { StoredObject } from "../../domain/objects/mod.js";
import type { PodState } from "./_state.js";
import { podPhase, podStatus, qosClass } from "./_status.js";

const pod = (spec: Record<string, unknown>): StoredObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default", uid: "u" }, spec });
const state = (containers: PodState["containers"]): PodState => ({
  uid: "u", namespace: "default", name: "p", nodeName: "n", fargate: true, subnetId: "s", sandboxReady: true, size: {},
  startTime: "2024-01-01T00:00:00.000Z", volumesReady: true, containers,
});
const finished = (exitCode: number) => ({ exitCode, reason: exitCode ? "Error" : "Completed", startedAt: "2024-01-01T00:00:00.000Z", finishedAt: "2024-01-01T00:00:01.000Z", containerID: "runc://x" });
const record = (name: string, extra: Record<string, unknown>) => ({ name, init: false, restartCount: 0, ready: false, started: false, ...extra });

describe("podPhase()", () => {
  const spec = { restartPolicy: "Never", containers: [{ name: "a" }, { name: "b" }] };

  it("is Pending while a container has never started", () => {
    assert.equal(podPhase(pod(spec), state({ a: record("a", { current: { id: "1", startedAt: "", imageId: "", logFile: "", cgroupPath: "" } }) })), "Pending");
  });

  it("is Succeeded when every container ended with 0, Failed when one did not", () => {
    assert.equal(podPhase(pod(spec), state({ a: record("a", { terminated: finished(0) }), b: record("b", { terminated: finished(0) }) })), "Succeeded");
    assert.equal(podPhase(pod(spec), state({ a: record("a", { terminated: finished(0) }), b: record("b", { terminated: finished(1) }) })), "Failed");
  });

  it("stays Running for restartPolicy Always even when every container has ended", () => {
    const always = { ...spec, restartPolicy: "Always" };
    assert.equal(podPhase(pod(always), state({ a: record("a", { terminated: finished(0) }), b: record("b", { terminated: finished(0) }) })), "Running");
  });

  it("is Failed when an init container fails under restartPolicy Never", () => {
    const withInit = { ...spec, initContainers: [{ name: "i" }] };
    assert.equal(podPhase(pod(withInit), state({ i: { ...record("i", { terminated: finished(2) }), init: true } })), "Failed");
  });
});

describe("podStatus()", () => {
  it("reports unready containers by name in ContainersReady and Ready, and keeps PodScheduled", () => {
    const scheduled = { ...pod({ containers: [{ name: "a", image: "busybox" }] }), status: { conditions: [{ type: "PodScheduled", status: "True" as const }] } };
    const status = podStatus(scheduled, state({ a: record("a", { waiting: { reason: "CrashLoopBackOff" }, lastTerminated: finished(1) }) })) as any;
    const ready = status.conditions.find((condition: any) => condition.type === "Ready");
    assert.equal(ready.message, "containers with unready status: [a]");
    assert.deepEqual(status.conditions.map((condition: any) => condition.type), ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]);
    assert.deepEqual(status.containerStatuses[0].state, { waiting: { reason: "CrashLoopBackOff" } });
    assert.equal(status.containerStatuses[0].lastState.terminated.exitCode, 1);
  });
});

describe("qosClass()", () => {
  it("is Guaranteed only when every container's CPU and memory requests equal its limits", () => {
    const limits = { cpu: "1", memory: "1Gi" };
    assert.equal(qosClass(pod({ containers: [{ name: "a", resources: { limits } }] })), "Guaranteed");
    assert.equal(qosClass(pod({ containers: [{ name: "a", resources: { requests: { cpu: "1" } } }] })), "Burstable");
    assert.equal(qosClass(pod({ containers: [{ name: "a" }] })), "BestEffort");
  });
});
