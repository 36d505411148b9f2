// Issue 12: security groups enforced. A pod whose mount target's groups do not admit TCP 2049
// stays ContainerCreating with a FailedMount naming the group and the port, and starts once the
// rule is added, without being recreated; a pod-to-pod connection is refused once the cluster
// group stops admitting the cluster, and goes through again once a rule allows its port; the
// same with the group's egress rules.

import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { aws, type MoorUnderTest, startMoor } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { awsJson, createFileSystem } from "../stateful/_efs.js";
import { embeddedVpc } from "../../src/domain/network/mod.js";

let moor: MoorUnderTest;
before(async () => {
  moor = await startMoor();
});
after(async () => {
  await moor?.dispose();
});

const vpc = embeddedVpc("us-east-1");

function pod(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { terminationGracePeriodSeconds: 0, ...spec } };
}

function nfsPod(name: string, fileSystemId: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "List",
    items: [
      { apiVersion: "v1", kind: "PersistentVolume", metadata: { name: `${name}-pv` }, spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteMany"], persistentVolumeReclaimPolicy: "Retain", csi: { driver: "efs.csi.aws.com", volumeHandle: fileSystemId } } },
      { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: `${name}-claim` }, spec: { accessModes: ["ReadWriteMany"], storageClassName: "", volumeName: `${name}-pv`, resources: { requests: { storage: "1Gi" } } } },
      pod(name, {
        containers: [{ name: "app", image: "busybox", command: ["sleep", "3600"], volumeMounts: [{ name: "data", mountPath: "/data" }] }],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: `${name}-claim` } }],
      }),
    ],
  });
}

async function cli(args: string[]): Promise<string> {
  const result = await aws(moor, args);
  assert.equal(result.code, 0, `aws ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

it("a mount target whose group lacks TCP 2049 keeps the pod in ContainerCreating, naming the group and the port, until the rule is added", async () => {
  const fileSystemId = await createFileSystem(moor, "sg-mount");
  const groupId = await cli(["ec2", "create-security-group", "--group-name", "efs-sg", "--description", "EFS mount targets", "--vpc-id", vpc.vpcId, "--query", "GroupId", "--output", "text"]);
  for (const subnet of vpc.subnets) {
    await awsJson(moor, ["efs", "create-mount-target", "--file-system-id", fileSystemId, "--subnet-id", subnet.subnetId, "--security-groups", groupId]);
  }
  await waitFor("mount targets available", async () => (await awsJson(moor, ["efs", "describe-mount-targets", "--file-system-id", fileSystemId])).MountTargets.every((target: any) => target.LifeCycleState === "available"));
  await kubectlOk(moor, ["apply", "-f", "-"], nfsPod("nfs", fileSystemId));
  const message = await waitFor("a FailedMount event", async () => {
    const events = (await kubectlJson(moor, ["get", "events", "--field-selector", "involvedObject.name=nfs"])).items;
    return events.find((event: any) => event.reason === "FailedMount")?.message as string | undefined;
  }, 30_000);
  assert.match(message, new RegExp(`does not admit TCP port 2049 from "10\\.42\\.[0-9.]+": no inbound rule of its security groups "${groupId}" allows it`));
  const waiting = await kubectlJson(moor, ["get", "pod", "nfs"]);
  assert.equal(waiting.status.containerStatuses?.[0]?.state?.waiting?.reason, "ContainerCreating");
  const uid = waiting.metadata.uid;
  await cli(["ec2", "authorize-security-group-ingress", "--group-id", groupId, "--protocol", "tcp", "--port", "2049", "--cidr", vpc.cidrBlock]);
  await kubectlOk(moor, ["wait", "--for=condition=Ready", "pod/nfs", "--timeout=60s"]);
  assert.equal((await kubectlJson(moor, ["get", "pod", "nfs"])).metadata.uid, uid, "the same pod started");
  // Its interface carries the cluster group, as EC2 shows it.
  const podIp = (await kubectlJson(moor, ["get", "pod", "nfs"])).status.podIP;
  const enis = JSON.parse(await cli(["ec2", "describe-network-interfaces", "--filters", `Name=addresses.private-ip-address,Values=${podIp}`, "--output", "json"]));
  assert.equal(enis.NetworkInterfaces.length, 1);
  assert.match(enis.NetworkInterfaces[0].Groups[0].GroupName, /^eks-cluster-sg-/);
  await kubectlOk(moor, ["delete", "pod", "nfs", "--wait=true"]);
});

it("a pod-to-pod connection is refused once the cluster group stops admitting the cluster, and allowed by a rule for its port", async () => {
  await kubectlOk(moor, ["apply", "-f", "-"], JSON.stringify({
    apiVersion: "v1",
    kind: "List",
    items: [
      pod("server", { containers: [{ name: "nc", image: "busybox", command: ["nc", "-ll", "-p", "8080", "-e", "echo", "hello"] }] }),
      pod("client", { containers: [{ name: "sh", image: "busybox", command: ["sleep", "3600"] }] }),
    ],
  }));
  await kubectlOk(moor, ["wait", "--for=condition=Ready", "pod/server", "pod/client", "--timeout=60s"]);
  const serverIp = (await kubectlJson(moor, ["get", "pod", "server"])).status.podIP as string;
  const connect = async () => {
    const result = await kubectl(moor, ["exec", "client", "--", "nc", "-w", "2", serverIp, "8080"]);
    return { ok: result.code === 0 && result.stdout.trim() === "hello", stderr: result.stderr };
  };
  await waitFor("the server answers the client", async () => (await connect()).ok, 30_000);
  const clusterGroup = await cli(["ec2", "describe-security-groups", "--filters", "Name=group-name,Values=eks-cluster-sg-*", "--query", "SecurityGroups[0].GroupId", "--output", "text"]);
  await cli(["ec2", "revoke-security-group-ingress", "--group-id", clusterGroup, "--ip-permissions", `IpProtocol=-1,UserIdGroupPairs=[{GroupId=${clusterGroup}}]`]);
  const refused = await waitFor("the connection refused", async () => {
    const attempt = await connect();
    return attempt.ok ? undefined : attempt.stderr;
  }, 30_000);
  assert.match(refused, /Connection refused/);
  await cli(["ec2", "authorize-security-group-ingress", "--group-id", clusterGroup, "--protocol", "tcp", "--port", "8080", "--cidr", vpc.cidrBlock]);
  await waitFor("the connection allowed again", async () => (await connect()).ok, 30_000);
  // Egress counts too: without the group's one egress rule the client cannot reach out.
  await cli(["ec2", "revoke-security-group-egress", "--group-id", clusterGroup, "--protocol", "all", "--cidr", "0.0.0.0/0"]);
  await waitFor("the connection refused on its way out", async () => !(await connect()).ok, 30_000);
  await cli(["ec2", "authorize-security-group-egress", "--group-id", clusterGroup, "--protocol", "tcp", "--port", "8080", "--cidr", vpc.cidrBlock]);
  await waitFor("the connection allowed out again", async () => (await connect()).ok, 30_000);
});
