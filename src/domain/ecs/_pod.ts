// A task's sandbox: the pod controllers/ecs writes for one ECS task (DESIGN decision 9). It
// runs in the namespace `aws-ecs` on a Fargate-shaped node of its own in the task's subnet
// with the task's security groups, sized by the task-level cpu and memory, one container per
// container definition. ECS names become Kubernetes ones: entryPoint → command, command →
// args, environment → env, portMappings → ports, mountPoints → volumeMounts, healthCheck →
// a readiness probe (ECS's healthStatus), stopTimeout → the grace period, and a non-essential
// container others wait on to COMPLETE or SUCCESS → an init container.

import { iamRoleAnnotation } from "../csi/mod.js";
import type { StoredObject } from "../objects/mod.js";
import type { ContainerDefinition, HealthCheck, KeyValuePair, Volume } from "./_task-definition.js";
import { containerMetadataId, taskEnvironment } from "./_metadata.js";
import { cpuMillisOfUnits } from "./_task-size.js";

export const taskNamespace = "aws-ecs";
/** The annotation naming the task a pod runs: `<cluster>/<task id>`. */
export const taskAnnotation = "moor.dev/ecs-task";
export const awslogsAnnotation = "moor.dev/awslogs";
const subnetIdsAnnotation = "moor.dev/subnet-ids";
const securityGroupIdsAnnotation = "moor.dev/security-group-ids";
/** What Fargate's node keeps of a task's memory for itself, as the scheduler's sizing adds it. */
const nodeOverheadMiB = 256;
const stopTimeoutDefaultSeconds = 30;

export interface TaskSandbox {
  cluster: string;
  taskId: string;
  region: string;
  cpuUnits: number;
  memoryMiB: number;
  subnetId: string;
  securityGroupIds: string[];
  taskRoleArn?: string;
  containers: ContainerDefinition[];
  /** Per container name: the command and environment RunTask's overrides give. */
  overrides?: { name?: string; command?: string[]; environment?: KeyValuePair[] }[];
  /** Per task volume name: the claim the controller made for it (EFS volumes). */
  claims: Record<string, string>;
  volumes: Volume[];
  /** Per container name: its container id (ECS's, which its metadata id comes from). */
  containerIds?: Record<string, string>;
  /** The id of the task's role credentials at the metadata endpoint, when it has a role. */
  credentialsId?: string;
}

export function taskPodName(taskId: string): string {
  return `task-${taskId}`;
}

function probeOf(check: HealthCheck) {
  const [kind, ...rest] = check.command;
  const command = kind === "CMD-SHELL" ? ["/bin/sh", "-c", rest.join(" ")] : kind === "CMD" ? rest : check.command;
  return {
    exec: { command },
    periodSeconds: check.interval ?? 30,
    timeoutSeconds: check.timeout ?? 5,
    failureThreshold: check.retries ?? 3,
    initialDelaySeconds: check.startPeriod ?? 0,
  };
}

function containerOf(sandbox: TaskSandbox, container: ContainerDefinition, resources?: object) {
  const override = sandbox.overrides?.find((candidate) => candidate.name === container.name);
  const containerId = sandbox.containerIds?.[container.name ?? ""];
  const own = containerId ? taskEnvironment(containerMetadataId(sandbox.taskId, containerId), sandbox.region, sandbox.taskRoleArn ? sandbox.credentialsId : undefined) : [];
  const environment = [...own, ...(container.environment ?? []), ...(override?.environment ?? [])];
  const env = new Map(environment.map((pair) => [pair.name ?? "", pair.value ?? ""]));
  const command = override?.command ?? container.command;
  return {
    name: container.name!,
    image: container.image!,
    ...(container.entryPoint ? { command: container.entryPoint } : {}),
    ...(command ? { args: command } : {}),
    env: [...env].map(([name, value]) => ({ name, value })),
    ports: (container.portMappings ?? []).map((mapping) => ({ containerPort: mapping.containerPort, protocol: (mapping.protocol ?? "tcp").toUpperCase() })),
    volumeMounts: (container.mountPoints ?? []).map((mount) => ({ name: volumeName(mount.sourceVolume ?? ""), mountPath: mount.containerPath, readOnly: Boolean(mount.readOnly) })),
    ...(container.workingDirectory ? { workingDir: container.workingDirectory } : {}),
    ...(container.user && /^\d+$/.test(container.user) ? { securityContext: { runAsUser: Number(container.user) } } : {}),
    ...(container.healthCheck ? { readinessProbe: probeOf(container.healthCheck) } : {}),
    ...(resources ? { resources } : {}),
  };
}

/** Kubernetes volume names are DNS labels; ECS's are letters, digits, hyphens and underscores. */
export function volumeName(name: string): string {
  return `v-${name.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`.slice(0, 63);
}

/** Non-essential containers another waits on to COMPLETE or SUCCESS run first, as init containers. */
function initContainerNames(containers: ContainerDefinition[]): Set<string> {
  const awaited = containers.flatMap((container) => (container.dependsOn ?? []).filter((dependency) => dependency.condition === "COMPLETE" || dependency.condition === "SUCCESS").map((dependency) => dependency.containerName));
  return new Set(awaited.filter((name) => containers.find((container) => container.name === name)?.essential === false));
}

/** START and HEALTHY dependencies order the containers: the awaited ones first. */
function startOrder(containers: ContainerDefinition[]): ContainerDefinition[] {
  const ordered: ContainerDefinition[] = [];
  const visit = (container: ContainerDefinition, depth: number) => {
    if (ordered.includes(container) || depth > containers.length) return;
    for (const dependency of container.dependsOn ?? []) {
      const awaited = containers.find((candidate) => candidate.name === dependency.containerName);
      if (awaited) visit(awaited, depth + 1);
    }
    ordered.push(container);
  };
  for (const container of containers) visit(container, 0);
  return ordered;
}

function awslogsOf(sandbox: TaskSandbox): string | undefined {
  const entries = sandbox.containers
    .filter((container) => container.logConfiguration?.logDriver === "awslogs")
    .map((container) => {
      const options = container.logConfiguration?.options ?? {};
      const prefix = options["awslogs-stream-prefix"];
      const stream = prefix ? `${prefix}/${container.name}/${sandbox.taskId}` : sandbox.taskId;
      return [container.name!, { group: options["awslogs-group"] ?? "", region: options["awslogs-region"] ?? sandbox.region, stream, createGroup: options["awslogs-create-group"] === "true" }];
    });
  return entries.length > 0 ? JSON.stringify(Object.fromEntries(entries)) : undefined;
}

function volumesOf(sandbox: TaskSandbox) {
  return sandbox.volumes.map((volume) => {
    const claim = sandbox.claims[volume.name ?? ""];
    return claim ? { name: volumeName(volume.name ?? ""), persistentVolumeClaim: { claimName: claim } } : { name: volumeName(volume.name ?? ""), emptyDir: {} };
  });
}

/** The pod that runs the task. */
export function taskPod(sandbox: TaskSandbox): StoredObject {
  const inits = initContainerNames(sandbox.containers);
  const ordered = startOrder(sandbox.containers);
  const apps = ordered.filter((container) => !inits.has(container.name ?? ""));
  // The whole task size on the first container: the scheduler sizes the node by the pod's sum.
  const size = { requests: { cpu: `${cpuMillisOfUnits(sandbox.cpuUnits)}m`, memory: `${sandbox.memoryMiB - nodeOverheadMiB}Mi` } };
  const grace = Math.max(...sandbox.containers.map((container) => container.stopTimeout ?? stopTimeoutDefaultSeconds));
  const awslogs = awslogsOf(sandbox);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: taskPodName(sandbox.taskId),
      namespace: taskNamespace,
      labels: { "moor.dev/ecs-task-id": sandbox.taskId },
      annotations: {
        [taskAnnotation]: `${sandbox.cluster}/${sandbox.taskId}`,
        [subnetIdsAnnotation]: sandbox.subnetId,
        [securityGroupIdsAnnotation]: sandbox.securityGroupIds.join(","),
        ...(sandbox.taskRoleArn ? { [iamRoleAnnotation]: sandbox.taskRoleArn } : {}),
        ...(awslogs ? { [awslogsAnnotation]: awslogs } : {}),
      },
    },
    spec: {
      restartPolicy: "Never",
      terminationGracePeriodSeconds: grace,
      enableServiceLinks: false,
      ...(inits.size > 0 ? { initContainers: ordered.filter((container) => inits.has(container.name ?? "")).map((container) => containerOf(sandbox, container)) } : {}),
      containers: apps.map((container, index) => containerOf(sandbox, container, index === 0 ? size : undefined)),
      volumes: volumesOf(sandbox),
    },
  };
}
