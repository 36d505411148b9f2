import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { efsMountFailureReason, startedStatus, stopCauseOf, type TaskSandbox, taskPod } from "./mod.js";

const sandbox: TaskSandbox = {
  cluster: "demo",
  taskId: "0123456789abcdef0123456789abcdef",
  region: "us-west-2",
  cpuUnits: 512,
  memoryMiB: 1024,
  subnetId: "subnet-1",
  securityGroupIds: ["sg-1", "sg-2"],
  containers: [{ name: "app", image: "busybox", command: ["httpd"], environment: [{ name: "A", value: "1" }] }],
  claims: {},
  volumes: [],
};

describe("taskPod()", () => {
  it("sizes the pod so the scheduler's Fargate rule gives back the task's own size", () => {
    const pod = taskPod(sandbox);
    assert.deepEqual(pod.spec.containers[0].resources, { requests: { cpu: "500m", memory: "768Mi" } });
    assert.deepEqual([pod.metadata.annotations?.["moor.dev/subnet-ids"], pod.metadata.annotations?.["moor.dev/security-group-ids"]], ["subnet-1", "sg-1,sg-2"]);
  });

  it("sets moor.dev/awslogs from an awslogs logConfiguration, the stream named prefix/container/task-id", () => {
    const logged = { ...sandbox.containers[0]!, logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/web", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true" } } };
    const pod = taskPod({ ...sandbox, containers: [logged, { name: "quiet", image: "busybox" }] });
    assert.deepEqual(JSON.parse(pod.metadata.annotations!["moor.dev/awslogs"]!), { app: { group: "/ecs/web", region: "eu-west-1", stream: `ecs/app/${sandbox.taskId}`, createGroup: true } });
    assert.equal(taskPod(sandbox).metadata.annotations!["moor.dev/awslogs"], undefined);
  });

  it("applies RunTask's container overrides over the definition's command and environment", () => {
    const pod = taskPod({ ...sandbox, overrides: [{ name: "app", command: ["echo", "hi"], environment: [{ name: "A", value: "2" }, { name: "B", value: "3" }] }] });
    assert.deepEqual([pod.spec.containers[0].args, pod.spec.containers[0].env], [["echo", "hi"], [{ name: "A", value: "2" }, { name: "B", value: "3" }]]);
  });

  it("runs a non-essential container others wait on to COMPLETE as an init container, and orders START dependencies", () => {
    const containers = [
      { name: "app", image: "busybox", dependsOn: [{ containerName: "setup", condition: "COMPLETE" }, { containerName: "proxy", condition: "START" }] },
      { name: "setup", image: "busybox", essential: false },
      { name: "proxy", image: "busybox" },
    ];
    const pod = taskPod({ ...sandbox, containers });
    assert.deepEqual(pod.spec.initContainers.map((container: { name: string }) => container.name), ["setup"]);
    assert.deepEqual(pod.spec.containers.map((container: { name: string }) => container.name), ["proxy", "app"]);
  });

  it("mounts an EFS volume through its claim and other volumes as scratch space", () => {
    const pod = taskPod({ ...sandbox, claims: { web: "task-x-0" }, volumes: [{ name: "web", efsVolumeConfiguration: { fileSystemId: "fs-1" } }, { name: "scratch" }] });
    assert.deepEqual(pod.spec.volumes, [{ name: "v-web", persistentVolumeClaim: { claimName: "task-x-0" } }, { name: "v-scratch", emptyDir: {} }]);
  });
});

describe("a task's lifecycle from its pod", () => {
  it("startedStatus() is PROVISIONING without a node, PENDING without an address, ACTIVATING until essential containers run", () => {
    const spec = { containers: [{ name: "app" }] };
    assert.equal(startedStatus(undefined, ["app"]), "PROVISIONING");
    assert.equal(startedStatus({ spec }, ["app"]), "PROVISIONING");
    assert.equal(startedStatus({ spec: { ...spec, nodeName: "n" } }, ["app"]), "PENDING");
    assert.equal(startedStatus({ spec: { ...spec, nodeName: "n" }, status: { podIP: "10.0.0.1" } }, ["app"]), "ACTIVATING");
    assert.equal(startedStatus({ spec: { ...spec, nodeName: "n" }, status: { podIP: "10.0.0.1", containerStatuses: [{ name: "app", state: { running: {} } }] } }, ["app"]), "RUNNING");
  });

  it("stopCauseOf() reads an image that cannot be pulled as TaskFailedToStart", () => {
    const pod = { status: { containerStatuses: [{ name: "app", state: { waiting: { reason: "ErrImagePull", message: "pull access denied" } } }] } };
    assert.deepEqual(stopCauseOf(pod, ["app"]), { stopCode: "TaskFailedToStart", stoppedReason: "CannotPullContainerError: pull access denied" });
  });

  it("efsMountFailureReason() words a missing mount target and a missing directory as the EFS mount helper's failures reach ECS", () => {
    assert.match(efsMountFailureReason("rpc error: code = Unavailable desc = no mount target", "fs-1", "us-east-1"), /stderr: b'Failed to resolve "fs-1\.efs\.us-east-1\.amazonaws\.com"/);
    assert.match(efsMountFailureReason("rpc error: code = NotFound desc = directory /x does not exist", "fs-1", "us-east-1"), /reason given by server: No such file or directory'/);
  });
});
