// A task definition as RegisterTaskDefinition takes it (the model's member names, the members
// Moor reads), and ECS's checks of one, in the order ECS reports them, each with ECS's
// ClientException text. Texts come from real answers quoted in reference/aws-semantics.md §5
// and aws-control-plane.md §7; the ones marked "unverified" have no quoted source and say the
// rule in ECS's manner.

import { isFargateSize, parseCpuUnits, parseMemoryMiB } from "./_task-size.js";

export interface KeyValuePair {
  name?: string;
  value?: string;
}

export interface PortMapping {
  containerPort?: number;
  hostPort?: number;
  protocol?: string;
  name?: string;
}

export interface MountPoint {
  sourceVolume?: string;
  containerPath?: string;
  readOnly?: boolean;
}

export interface HealthCheck {
  command: string[];
  interval?: number;
  timeout?: number;
  retries?: number;
  startPeriod?: number;
}

export interface LogConfiguration {
  logDriver: string;
  options?: Record<string, string>;
}

export interface ContainerDefinition {
  name?: string;
  image?: string;
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
  essential?: boolean;
  entryPoint?: string[];
  command?: string[];
  environment?: KeyValuePair[];
  portMappings?: PortMapping[];
  mountPoints?: MountPoint[];
  dependsOn?: { containerName: string; condition: string }[];
  healthCheck?: HealthCheck;
  stopTimeout?: number;
  hostname?: string;
  user?: string;
  workingDirectory?: string;
  logConfiguration?: LogConfiguration;
  [member: string]: unknown;
}

export interface EfsVolumeConfiguration {
  fileSystemId: string;
  rootDirectory?: string;
  transitEncryption?: "ENABLED" | "DISABLED";
  transitEncryptionPort?: number;
  authorizationConfig?: { accessPointId?: string; iam?: "ENABLED" | "DISABLED" };
}

export interface Volume {
  name?: string;
  efsVolumeConfiguration?: EfsVolumeConfiguration;
  host?: { sourcePath?: string };
  dockerVolumeConfiguration?: unknown;
  [member: string]: unknown;
}

export interface TaskDefinitionInput {
  family: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
  networkMode?: string;
  containerDefinitions: ContainerDefinition[];
  volumes?: Volume[];
  requiresCompatibilities?: string[];
  cpu?: string;
  memory?: string;
  ipcMode?: string;
  pidMode?: string;
  [member: string]: unknown;
}

/** A refusal: ECS's exception name and its text. */
export interface EcsProblem {
  code: "ClientException" | "InvalidParameterException";
  message: string;
}

const client = (message: string): EcsProblem => ({ code: "ClientException", message });

const familyPattern = /^[A-Za-z0-9_-]{1,255}$/;

/** The first thing ECS refuses in this task definition, or undefined. */
export function taskDefinitionProblem(input: TaskDefinitionInput): EcsProblem | undefined {
  // unverified text
  if (!familyPattern.test(input.family)) return client("Family contains invalid characters: up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.");
  return (
    containerIdentityProblem(input.containerDefinitions) ??
    (input.requiresCompatibilities?.includes("FARGATE") ? fargateProblem(input) : memoryProblem(input)) ??
    networkProblem(input) ??
    volumeProblem(input)
  );
}

function containerIdentityProblem(containers: ContainerDefinition[]): EcsProblem | undefined {
  for (const container of containers) {
    if (!container.name) return client("Container.name should not be null or empty.");
    if (!container.image) return client("Container.image should not be null or empty.");
  }
  const names = containers.map((container) => container.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  // unverified text
  if (duplicate !== undefined) return client(`Duplicate container name '${duplicate}' in the task definition.`);
  return undefined;
}

/** Fargate's own rules: awsvpc, a task-level size from the table, no ipcMode, sums within it. */
function fargateProblem(input: TaskDefinitionInput): EcsProblem | undefined {
  if (input.networkMode !== "awsvpc") return client("Fargate only supports network mode \u2018awsvpc\u2019.");
  if (input.cpu === undefined) return client("Fargate requires that 'cpu' be defined at the task level.");
  if (input.memory === undefined) return client("Fargate requires that 'memory' be defined at the task level.");
  const cpuUnits = parseCpuUnits(input.cpu);
  if (cpuUnits === undefined) return client("Invalid 'cpu' setting for task.");
  const memoryMiB = parseMemoryMiB(input.memory);
  if (memoryMiB === undefined) return client("Invalid 'memory' setting for task.");
  if (!isFargateSize({ cpuUnits, memoryMiB })) {
    return client(`No Fargate configuration exists for given values: ${cpuUnits} CPU, ${memoryMiB} memory. See the Amazon ECS documentation for the valid values.`);
  }
  if (input.ipcMode !== undefined) return client("Tasks using the Fargate launch type do not support ipcMode.");
  const containers = input.containerDefinitions;
  if (containers.reduce((sum, container) => sum + (container.cpu ?? 0), 0) > cpuUnits) {
    return client("The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.");
  }
  const greedy = containers.find((container) => (container.memory ?? container.memoryReservation ?? 0) > memoryMiB);
  if (greedy) return client(`The 'memory' setting for container '${greedy.name}' is greater than for the task.`);
  if (!input.executionRoleArn && containers.some((container) => container.logConfiguration?.logDriver === "awslogs")) {
    return client("Fargate requires task definition to have execution role ARN to support log driver awslogs.");
  }
  return undefined;
}

/** Without a task-level memory (EC2 tasks), every container needs its own. */
function memoryProblem(input: TaskDefinitionInput): EcsProblem | undefined {
  if (input.memory !== undefined) return parseMemoryMiB(input.memory) === undefined ? client("Invalid 'memory' setting for task.") : undefined;
  const bare = input.containerDefinitions.find((container) => container.memory === undefined && container.memoryReservation === undefined);
  return bare ? client(`Invalid setting for container '${bare.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`) : undefined;
}

function networkProblem(input: TaskDefinitionInput): EcsProblem | undefined {
  if (input.networkMode !== "awsvpc") return undefined;
  for (const container of input.containerDefinitions) {
    if (container.hostname !== undefined) return client("hostname is not supported on container when networkMode=awsvpc.");
    const mismatched = (container.portMappings ?? []).some((mapping) => mapping.hostPort !== undefined && mapping.hostPort !== mapping.containerPort);
    if (mismatched) return client("When networkMode=awsvpc, the host ports and container ports in port mappings must match.");
  }
  return undefined;
}

function volumeProblem(input: TaskDefinitionInput): EcsProblem | undefined {
  const volumes = input.volumes ?? [];
  for (const volume of volumes) {
    const efs = volume.efsVolumeConfiguration;
    // unverified text
    if (!volume.name) return client("Volume.name should not be null or empty.");
    if (!efs) continue;
    const accessPoint = efs.authorizationConfig?.accessPointId;
    if (accessPoint && efs.rootDirectory !== undefined && efs.rootDirectory !== "/") {
      return client('When using an EFS access point, the root directory must either be set to "/" or be omitted');
    }
    // unverified texts
    if (accessPoint && efs.transitEncryption !== "ENABLED") return client("Transit encryption must be enabled when using an EFS access point.");
    if (efs.authorizationConfig?.iam === "ENABLED" && efs.transitEncryption !== "ENABLED") return client("Transit encryption must be enabled when using EFS IAM authorization.");
  }
  const names = new Set(volumes.map((volume) => volume.name));
  for (const container of input.containerDefinitions) {
    const unknown = (container.mountPoints ?? []).find((mount) => !names.has(mount.sourceVolume));
    // unverified text
    if (unknown) return client(`Invalid 'mountPoints' setting for container '${container.name}'. Volume '${unknown.sourceVolume ?? ""}' is not defined in the task definition.`);
  }
  const containerNames = new Set(input.containerDefinitions.map((container) => container.name));
  for (const container of input.containerDefinitions) {
    const missing = (container.dependsOn ?? []).find((dependency) => !containerNames.has(dependency.containerName));
    // unverified text
    if (missing) return client(`Invalid 'dependsOn' setting for container '${container.name}'. Container '${missing.containerName}' is not defined in the task definition.`);
  }
  return undefined;
}

/** The launch types this definition can run on, as ECS lists them in `compatibilities`. */
export function compatibilitiesOf(input: TaskDefinitionInput): string[] {
  return fargateProblem(input) === undefined ? ["EC2", "FARGATE"] : ["EC2"];
}
