import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  clusterNameOf,
  compatibilitiesOf,
  cpuMillisOfUnits,
  isFargateSize,
  parseCpuUnits,
  parseMemoryMiB,
  taskDefinitionProblem,
  type TaskDefinitionInput,
  taskDefinitionReference,
} from "./mod.js";

const valid: TaskDefinitionInput = {
  family: "efs-demo",
  networkMode: "awsvpc",
  requiresCompatibilities: ["FARGATE"],
  cpu: "256",
  memory: "1024",
  containerDefinitions: [{ name: "app", image: "busybox", essential: true, portMappings: [{ containerPort: 80 }], mountPoints: [{ sourceVolume: "efs-vol", containerPath: "/www" }] }],
  volumes: [{ name: "efs-vol", efsVolumeConfiguration: { fileSystemId: "fs-1", transitEncryption: "ENABLED", authorizationConfig: { accessPointId: "fsap-1", iam: "ENABLED" } } }],
};

const problem = (change: Partial<TaskDefinitionInput>) => taskDefinitionProblem({ ...valid, ...change })?.message;

describe("Fargate task sizes", () => {
  it("parseCpuUnits() and parseMemoryMiB() read numbers, vCPU and GB as ECS does", () => {
    assert.deepEqual(["256", "1 vCPU", "0.25 vcpu", "x"].map(parseCpuUnits), [256, 1024, 256, undefined]);
    assert.deepEqual(["1024", "1GB", "2 gb", "0.5GB", "1.5"].map(parseMemoryMiB), [1024, 1024, 2048, 512, undefined]);
  });

  it("isFargateSize() follows the table: 256 with 512/1024/2048, 8192 in steps of 4096", () => {
    assert.equal(isFargateSize({ cpuUnits: 256, memoryMiB: 1024 }), true);
    assert.equal(isFargateSize({ cpuUnits: 256, memoryMiB: 4096 }), false);
    assert.equal(isFargateSize({ cpuUnits: 512, memoryMiB: 512 }), false);
    assert.equal(isFargateSize({ cpuUnits: 8192, memoryMiB: 20480 }), true);
    assert.equal(isFargateSize({ cpuUnits: 8192, memoryMiB: 17408 }), false);
    assert.equal(isFargateSize({ cpuUnits: 300, memoryMiB: 1024 }), false);
  });

  it("cpuMillisOfUnits() turns 256 units into a quarter vCPU", () => {
    assert.equal(cpuMillisOfUnits(256), 250);
    assert.equal(cpuMillisOfUnits(1024), 1000);
  });
});

describe("taskDefinitionProblem()", () => {
  it("accepts the guide's Fargate definition with an EFS access point and IAM", () => {
    assert.equal(taskDefinitionProblem(valid), undefined);
    assert.deepEqual(compatibilitiesOf(valid), ["EC2", "FARGATE"]);
  });

  it("refuses containers without a name or image first, with ECS's texts", () => {
    assert.equal(problem({ containerDefinitions: [{ image: "busybox" }], networkMode: "bridge" }), "Container.name should not be null or empty.");
    assert.equal(problem({ containerDefinitions: [{ name: "a" }] }), "Container.image should not be null or empty.");
  });

  it("checks Fargate in AWS's order: network mode, then cpu, memory, then the pair", () => {
    assert.equal(problem({ networkMode: "bridge", cpu: "1" }), "Fargate only supports network mode \u2018awsvpc\u2019.");
    assert.equal(problem({ networkMode: undefined }), "Fargate only supports network mode \u2018awsvpc\u2019.");
    assert.equal(problem({ cpu: undefined }), "Fargate requires that 'cpu' be defined at the task level.");
    assert.equal(problem({ memory: undefined }), "Fargate requires that 'memory' be defined at the task level.");
    assert.equal(problem({ cpu: "lots" }), "Invalid 'cpu' setting for task.");
    assert.equal(problem({ cpu: "512", memory: "512" }), "No Fargate configuration exists for given values: 512 CPU, 512 memory. See the Amazon ECS documentation for the valid values.");
    assert.equal(problem({ cpu: "1 vCPU", memory: "2GB" }), undefined);
  });

  it("refuses ipcMode, container cpu above the task's, container memory above it, awslogs without an execution role", () => {
    assert.equal(problem({ ipcMode: "host" }), "Tasks using the Fargate launch type do not support ipcMode.");
    const app = valid.containerDefinitions[0]!;
    assert.equal(problem({ containerDefinitions: [{ ...app, cpu: 512 }] }), "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.");
    assert.equal(problem({ containerDefinitions: [{ ...app, memory: 2048 }] }), "The 'memory' setting for container 'app' is greater than for the task.");
    const logged = { ...app, logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "g" } } };
    assert.equal(problem({ containerDefinitions: [logged] }), "Fargate requires task definition to have execution role ARN to support log driver awslogs.");
    assert.equal(problem({ containerDefinitions: [logged], executionRoleArn: "arn:aws:iam::1:role/x" }), undefined);
  });

  it("refuses hostname and mismatched host ports under awsvpc", () => {
    const app = valid.containerDefinitions[0]!;
    assert.equal(problem({ containerDefinitions: [{ ...app, hostname: "h" }] }), "hostname is not supported on container when networkMode=awsvpc.");
    assert.equal(problem({ containerDefinitions: [{ ...app, portMappings: [{ containerPort: 80, hostPort: 8080 }] }] }), "When networkMode=awsvpc, the host ports and container ports in port mappings must match.");
  });

  it("applies the EFS rules: root directory with an access point, transit encryption for access points and IAM", () => {
    const efs = valid.volumes![0]!.efsVolumeConfiguration!;
    const withEfs = (change: object) => problem({ volumes: [{ name: "efs-vol", efsVolumeConfiguration: { ...efs, ...change } }] });
    assert.equal(withEfs({ rootDirectory: "/data" }), 'When using an EFS access point, the root directory must either be set to "/" or be omitted');
    assert.equal(withEfs({ rootDirectory: "/" }), undefined);
    assert.equal(withEfs({ transitEncryption: "DISABLED" }), "Transit encryption must be enabled when using an EFS access point.");
    assert.equal(withEfs({ transitEncryption: undefined, authorizationConfig: { iam: "ENABLED" } }), "Transit encryption must be enabled when using EFS IAM authorization.");
    assert.equal(withEfs({ transitEncryption: undefined, authorizationConfig: undefined, rootDirectory: "/data" }), undefined);
  });

  it("refuses a mount point naming no volume", () => {
    assert.match(problem({ volumes: [] }) ?? "", /^Invalid 'mountPoints' setting for container 'app'/);
  });

  it("requires container memory when the task sets none (EC2)", () => {
    const ec2 = { family: "x", containerDefinitions: [{ name: "a", image: "i" }] };
    assert.equal(taskDefinitionProblem(ec2)?.message, "Invalid setting for container 'a'. At least one of 'memory' or 'memoryReservation' must be specified.");
    assert.deepEqual(compatibilitiesOf(ec2), ["EC2"]);
  });
});

describe("identifiers", () => {
  it("clusterNameOf() reads names and ARNs, default when absent", () => {
    assert.equal(clusterNameOf(undefined), "default");
    assert.equal(clusterNameOf("arn:aws:ecs:us-east-1:123456789012:cluster/efs-demo"), "efs-demo");
    assert.equal(clusterNameOf("efs-demo"), "efs-demo");
  });

  it("taskDefinitionReference() reads family, family:revision and ARNs", () => {
    assert.deepEqual(taskDefinitionReference("web"), { family: "web" });
    assert.deepEqual(taskDefinitionReference("web:3"), { family: "web", revision: 3 });
    assert.deepEqual(taskDefinitionReference("arn:aws:ecs:us-east-1:1:task-definition/web:2"), { family: "web", revision: 2 });
    assert.equal(taskDefinitionReference("web:x"), undefined);
  });
});
