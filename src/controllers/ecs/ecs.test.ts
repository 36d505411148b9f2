// The ECS controller over the in-memory store and a fake clock: the pod it writes for a task,
// the lifecycle it reads back from that pod (as the scheduler and the agent would write it),
// and the ways a task stops.

import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { FakeClock } from "../../clock/mod.js";
import { createRecorder } from "../../events/mod.js";
import type { EcsOperations } from "../../services/ecs/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import type { ControllerRuntime } from "../runtime/mod.js";
import { exited, type Fixture, fixture, podProgress as writePodProgress, running, settle as settleFixture, subnet } from "./_testing.js";

let store: Store;
let clock: FakeClock;
let ecs: EcsOperations;
let controller: ControllerRuntime;
let f: Fixture;

beforeEach(async () => {
  f = await fixture();
  ({ store, clock, ecs, controller } = f);
});
afterEach(() => controller.stop());

const taskId = "00000000000000000000000000000001";
const podKey = { kind: "Pod", namespace: "aws-ecs", name: `task-${taskId}` };
const task = () => ecs.DescribeTasks({ cluster: "demo", tasks: [taskId] }).tasks[0]!;
const settle = () => settleFixture(f);

function register(containers: object[], extra: object = {}) {
  ecs.RegisterTaskDefinition({ family: "web", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "1024", containerDefinitions: containers as never, ...extra });
}

function runOne(): void {
  ecs.RunTask({ cluster: "demo", taskDefinition: "web", launchType: "FARGATE", networkConfiguration: { awsvpcConfiguration: { subnets: [subnet] } } });
}

function podProgress(change: { nodeName?: string; podIP?: string; containerStatuses?: object[]; phase?: string }): void {
  writePodProgress(store, podKey.name, change);
}

describe("the ECS controller", () => {
  it("writes one pod per task in aws-ecs, with the task's subnet, groups, size, containers and grace period", async () => {
    register([{ name: "app", image: "busybox", entryPoint: ["sh", "-c"], command: ["httpd -f"], environment: [{ name: "A", value: "1" }], portMappings: [{ containerPort: 80 }], stopTimeout: 5, healthCheck: { command: ["CMD-SHELL", "true"] } }]);
    runOne();
    await settle();
    const pod = store.get(podKey)!;
    assert.deepEqual([pod.metadata.annotations?.["moor.dev/subnet-ids"], pod.metadata.annotations?.["moor.dev/security-group-ids"], pod.metadata.annotations?.["moor.dev/ecs-task"]], [subnet, "sg-default", `demo/${taskId}`]);
    const [app] = pod.spec.containers;
    assert.deepEqual([app.command, app.args, app.env.at(-1), app.ports], [["sh", "-c"], ["httpd -f"], { name: "A", value: "1" }, [{ containerPort: 80, protocol: "TCP" }]]);
    const env = Object.fromEntries(app.env.map((pair: { name: string; value: string }) => [pair.name, pair.value]));
    assert.match(env.ECS_CONTAINER_METADATA_URI_V4, new RegExp(`^http://169\\.254\\.170\\.2/v4/${taskId}-\\d{10}$`));
    assert.equal(env.ECS_CONTAINER_METADATA_URI, env.ECS_CONTAINER_METADATA_URI_V4.replace("/v4/", "/v3/"));
    assert.equal(env.AWS_REGION, "us-west-2");
    // The definition has no task role: no credentials variable.
    assert.equal(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, undefined);
    assert.deepEqual(app.resources, { requests: { cpu: "250m", memory: "768Mi" } });
    assert.deepEqual(app.readinessProbe.exec.command, ["/bin/sh", "-c", "true"]);
    assert.deepEqual([pod.spec.restartPolicy, pod.spec.terminationGracePeriodSeconds], ["Never", 5]);
    assert.equal(store.get({ kind: "Namespace", name: "aws-ecs" })?.status?.phase, "Active");
    assert.equal(task().lastStatus, "PROVISIONING");
  });

  it("follows the pod: PENDING on a node, ACTIVATING with an address, RUNNING when the essential container runs", async () => {
    register([{ name: "app", image: "busybox" }]);
    runOne();
    await settle();
    podProgress({ nodeName: "fargate-ip-10-42-0-9" });
    await settle();
    assert.equal(task().lastStatus, "PENDING");
    podProgress({ podIP: "10.42.0.9", containerStatuses: [{ name: "app", state: { waiting: { reason: "ContainerCreating" } } }] });
    await settle();
    assert.equal(task().lastStatus, "ACTIVATING");
    const attachment = task().attachments[0]!;
    assert.equal(attachment.status, "ATTACHED");
    assert.deepEqual(attachment.details.find((detail) => detail.name === "privateIPv4Address")?.value, "10.42.0.9");
    podProgress({ containerStatuses: [running("app")], phase: "Running" });
    await settle();
    assert.deepEqual([task().lastStatus, task().containers[0]!.lastStatus, task().containers[0]!.runtimeId], ["RUNNING", "RUNNING", "abc"]);
    assert.deepEqual(ecs.DescribeClusters({ clusters: ["demo"] }).clusters[0]!.runningTasksCount, 1);
  });

  it("an essential container's exit stops the task with EssentialContainerExited, its exit code, and the pod deleted", async () => {
    register([{ name: "app", image: "busybox" }, { name: "side", image: "busybox", essential: false }]);
    runOne();
    await settle();
    podProgress({ nodeName: "n", podIP: "10.42.0.9", containerStatuses: [running("app"), exited("side", 1)] });
    await settle();
    assert.equal(task().lastStatus, "RUNNING", "a non-essential container's exit does not stop the task");
    podProgress({ containerStatuses: [exited("app", 3), exited("side", 1)] });
    await settle();
    const stopped = task();
    assert.deepEqual([stopped.lastStatus, stopped.desiredStatus, stopped.stopCode, stopped.stoppedReason], ["STOPPED", "STOPPED", "EssentialContainerExited", "Essential container in task exited"]);
    assert.equal(stopped.containers.find((container) => container.name === "app")?.exitCode, 3);
    assert.equal(store.get(podKey), undefined);
  });

  it("StopTask takes the task through DEACTIVATING, STOPPING and DEPROVISIONING to STOPPED, with UserInitiated", async () => {
    register([{ name: "app", image: "busybox" }]);
    runOne();
    await settle();
    podProgress({ nodeName: "n", podIP: "10.42.0.9", containerStatuses: [running("app")] });
    await settle();
    const seen: string[] = [];
    const watch = store.watch({ kind: "EcsTask" }, (event) => seen.push(String((event.object as StoredObject).status?.lastStatus)));
    ecs.StopTask({ cluster: "demo", task: taskId });
    await settle();
    watch();
    assert.deepEqual([...new Set(seen)], ["RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"]);
    assert.deepEqual([task().stopCode, task().stoppedReason], ["UserInitiated", "Task stopped by user"]);
  });

  it("a refused EFS mount stops the task with TaskFailedToStart and ECS's ResourceInitializationError", async () => {
    register([{ name: "app", image: "busybox", mountPoints: [{ sourceVolume: "data", containerPath: "/data" }] }], {
      volumes: [{ name: "data", efsVolumeConfiguration: { fileSystemId: "fs-0123", transitEncryption: "ENABLED", authorizationConfig: { accessPointId: "fsap-1", iam: "ENABLED" } } }],
      taskRoleArn: "arn:aws:iam::123456789012:role/task",
    });
    runOne();
    await settle();
    const pod = store.get(podKey)!;
    assert.equal(pod.metadata.annotations?.["moor.dev/iam-role-arn"], "arn:aws:iam::123456789012:role/task");
    const claim = pod.spec.volumes[0].persistentVolumeClaim.claimName;
    const volume = store.get({ kind: "PersistentVolume", name: claim })!;
    assert.deepEqual([volume.spec.csi.volumeHandle, volume.spec.mountOptions], ["fs-0123::fsap-1", ["tls", "iam"]]);
    podProgress({ nodeName: "n", podIP: "10.42.0.9" });
    createRecorder(store, { component: "kubelet" }, () => clock.now()).record(pod, "Warning", "FailedMount", 'MountVolume.SetUp failed for volume "v-data" : rpc error: code = PermissionDenied desc = Cannot mount "fs-0123::fsap-1": access denied by server');
    await settle();
    const stopped = task();
    assert.equal(stopped.stopCode, "TaskFailedToStart");
    assert.equal(stopped.stoppedReason, "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: access denied by server while mounting fs-0123.efs.us-west-2.amazonaws.com:/' : unsuccessful EFS utils command execution; code: 32");
    assert.equal(store.get({ kind: "PersistentVolume", name: claim }), undefined);
  });

  it("gives a task with a role the credentials URI and publishes its metadata while it has an address", async () => {
    register([{ name: "app", image: "busybox" }], { taskRoleArn: "arn:aws:iam::123456789012:role/task" });
    runOne();
    await settle();
    const env = Object.fromEntries(store.get(podKey)!.spec.containers[0].env.map((pair: { name: string; value: string }) => [pair.name, pair.value]));
    assert.match(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, /^\/v2\/credentials\/uuid-\d+$/);
    podProgress({ nodeName: "n", podIP: "10.42.0.9", containerStatuses: [running("app")] });
    await settle();
    const [entry] = f.published.at(-1)!;
    assert.equal(entry!.address, "10.42.0.9");
    assert.deepEqual([entry!.task.Cluster, entry!.task.KnownStatus, entry!.task.LaunchType, entry!.task.AvailabilityZone], ["arn:aws:ecs:us-west-2:123456789012:cluster/demo", "RUNNING", "FARGATE", "us-west-2a"]);
    assert.deepEqual(entry!.credentials, { id: env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.split("/").at(-1), roleArn: "arn:aws:iam::123456789012:role/task", sessionName: taskId });
    const container = entry!.containers[env.ECS_CONTAINER_METADATA_URI_V4.split("/").at(-1)]!;
    assert.deepEqual([container.Name, (container.Networks as { IPv4Addresses: string[] }[])[0]!.IPv4Addresses], ["app", ["10.42.0.9"]]);
    ecs.StopTask({ cluster: "demo", task: taskId });
    await settle();
    assert.deepEqual(f.published.at(-1), []);
  });

  it("forgets a STOPPED task an hour after it stopped", async () => {
    register([{ name: "app", image: "busybox" }]);
    runOne();
    await settle();
    ecs.StopTask({ cluster: "demo", task: taskId });
    await settle();
    assert.equal(task().lastStatus, "STOPPED");
    clock.advance(60 * 60 * 1000);
    await controller.settled();
    assert.deepEqual(ecs.DescribeTasks({ cluster: "demo", tasks: [taskId] }).failures[0]?.reason, "MISSING");
  });
});
