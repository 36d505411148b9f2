// Issue 13: EFS mounted from inside EC2 instances. This kernel has no NFS client: the instance
// image's /sbin/mount.nfs, mount.nfs4 and mount.efs ask Moor through the metadata service, and
// Moor mounts through its mount engine into the instance. User data mounts with the guide's NFS
// line and the efs-utils form and writes a file a pod reads through the same access point;
// umount(8) works, after a restart of Moor too; the refusals read as mount.nfs and efs-utils print them (no mount target in
// the zone, security groups without TCP 2049, the file-system policy, `iam` without an instance
// profile); `-o tls,iam` presents the role of the instance's IAM instance profile (made with
// @aws-sdk/client-iam) to the policy; a terminated instance's mounts leave the host.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, DeleteRoleCommand, GetInstanceProfileCommand, IAMClient, ListInstanceProfilesForRoleCommand } from "@aws-sdk/client-iam";
import { embeddedVpc } from "../../src/domain/network/mod.js";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { awsJson, createAccessPoint, createFileSystem, createMountTargets } from "../stateful/_efs.js";
import { terminateAll } from "./_instances.js";

const subnets = embeddedVpc("us-east-1").subnets;
const nfsOptions = "nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport";
let moor: MoorUnderTest;
let fileSystemId: string;
let accessPointId: string;
let dnsName: string;
let writer: string;
let clientRole: string;

before(async () => {
  moor = await startMoor();
  const iam = new IAMClient({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" }, maxAttempts: 1 });
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
  clientRole = (await iam.send(new CreateRoleCommand({ RoleName: "efs-client", AssumeRolePolicyDocument: trust }))).Role!.Arn!;
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "efs-client" }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "efs-client", RoleName: "efs-client" }));
  const profile = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "efs-client" }))).InstanceProfile!;
  assert.deepEqual(profile.Roles!.map((role) => role.Arn), [clientRole]);
  assert.match(profile.Arn!, /^arn:aws:iam::\d{12}:instance-profile\/efs-client$/);
  assert.equal((await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: "efs-client" }))).InstanceProfiles!.length, 1);
  await assert.rejects(iam.send(new DeleteRoleCommand({ RoleName: "efs-client" })), { name: "DeleteConflictException", message: "Cannot delete entity, must remove roles from instance profile first." });
  iam.destroy();
  fileSystemId = await createFileSystem(moor, "instance-mounts");
  dnsName = `${fileSystemId}.efs.us-east-1.amazonaws.com`;
  // Zones a and b only: an instance in zone c finds no mount target.
  await createMountTargets(moor, fileSystemId, [subnets[0]!.availabilityZone, subnets[1]!.availabilityZone]);
  accessPointId = await createAccessPoint(moor, fileSystemId, ["--posix-user", "Uid=1000,Gid=1000", "--root-directory", "Path=/web,CreationInfo={OwnerUid=1000,OwnerGid=1000,Permissions=755}"]);
});
after(async () => {
  try {
    if (moor) await terminateAll(moor);
  } finally {
    await moor?.dispose();
  }
});

async function runInstance(name: string, subnetId: string, userData: string, groups: string[] = [], profile?: string): Promise<string> {
  const script = join(moor.home, `${name}.sh`);
  writeFileSync(script, userData);
  const run = await awsJson(moor, ["ec2", "run-instances", "--image-id", "ami-0abcdef1234567890", "--instance-type", "t3.micro", "--count", "1", "--subnet-id", subnetId,
    ...(groups.length ? ["--security-group-ids", ...groups] : []), ...(profile ? ["--iam-instance-profile", `Name=${profile}`] : []), "--user-data", `file://${script}`]);
  const id = run.Instances[0].InstanceId as string;
  await waitFor(`instance ${name} running`, async () => (await awsJson(moor, ["ec2", "describe-instances", "--instance-ids", id])).Reservations[0].Instances[0].State.Name === "running", 120_000);
  return id;
}

/** The user data's output once it printed its last line. */
async function userDataOutput(id: string, last: string): Promise<string> {
  return waitFor(`the user data of ${id} to finish`, async () => {
    const result = await kubectl(moor, ["exec", "-n", "aws-ec2", id, "--", "cat", "/var/log/cloud-init-output.log"]);
    return result.code === 0 && result.stdout.includes(last) ? result.stdout : undefined;
  }, 90_000);
}

/** A command run as root inside the instance: its exit status and what it printed. */
async function inInstance(id: string, script: string): Promise<{ code: number; output: string }> {
  const result = await kubectl(moor, ["exec", "-n", "aws-ec2", id, "--", "bash", "-c", `${script} 2>&1`]);
  return { code: result.code, output: result.stdout.trim() };
}

function hostMountsOf(id: string): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8").split("\n").filter((line) => line.includes(`/instances/${id}/`));
}

/** The host directories the instance's mounts are on (each holds a placeholder and the mount). */
function hostMountPointsOf(id: string): string[] {
  return [...new Set(hostMountsOf(id).map((line) => line.split(" ")[4]!))];
}

describe("EFS mounted inside EC2 instances", () => {
  it("user data mounts with the guide's NFS line and the efs-utils form; a pod reads what it wrote through the access point", async () => {
    writer = await runInstance("writer", subnets[0]!.subnetId, [
      "#!/bin/bash",
      "set -e",
      "mkdir -p /mnt/nfs /mnt/ap",
      `mount -t nfs -o ${nfsOptions} ${dnsName}:/ /mnt/nfs`,
      "echo from-nfs > /mnt/nfs/root.txt",
      `mount -t efs -o tls,accesspoint=${accessPointId} ${fileSystemId}:/ /mnt/ap`,
      "echo from-instance > /mnt/ap/index.html",
      "echo owner=$(stat -c %u /mnt/ap/index.html)",
      "cd /root && mkdir efs",
      `mount -t nfs4 -o ${nfsOptions} ${dnsName}:/ efs`,
      "echo listed=$(ls efs | tr '\\n' ' ')",
      "umount efs",
      "echo after-umount=$(ls efs | wc -l)",
      "echo user-data-done",
      "",
    ].join("\n"), [], "efs-client");
    const described = await awsJson(moor, ["ec2", "describe-instances", "--instance-ids", writer]);
    assert.match(described.Reservations[0].Instances[0].IamInstanceProfile.Arn, /:instance-profile\/efs-client$/);
    const output = await userDataOutput(writer, "user-data-done");
    assert.match(output, /owner=1000\n/, "the access point's identity owns what is written through it");
    assert.match(output, /listed=root\.txt web\n/, "the guide's relative mount point, NFS as root at the file system's root");
    assert.match(output, /after-umount=0\n/, "umount took the mount off");
    const mounts = await inInstance(writer, "grep ' /mnt/' /proc/mounts | cut -d ' ' -f 2,3");
    assert.equal(mounts.output, "/mnt/nfs fuse.moor\n/mnt/ap fuse.moor".trim());
    assert.equal((await inInstance(writer, "cat /mnt/nfs/web/index.html")).output, "from-instance");

    const manifests = `
apiVersion: v1
kind: PersistentVolume
metadata: { name: instance-web }
spec:
  capacity: { storage: 5Gi }
  accessModes: [ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: ""
  csi: { driver: efs.csi.aws.com, volumeHandle: "${fileSystemId}::${accessPointId}" }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: instance-web }
spec:
  accessModes: [ReadWriteMany]
  storageClassName: ""
  volumeName: instance-web
  resources: { requests: { storage: 5Gi } }
---
apiVersion: v1
kind: Pod
metadata: { name: reader }
spec:
  containers:
    - { name: app, image: busybox, command: ["sleep", "3600"], volumeMounts: [{ name: web, mountPath: /web }] }
  volumes:
    - { name: web, persistentVolumeClaim: { claimName: instance-web } }
`;
    await kubectlOk(moor, ["apply", "-f", "-"], manifests);
    await kubectlOk(moor, ["wait", "--for=condition=Ready", "pod/reader", "--timeout=90s"]);
    assert.equal((await kubectlOk(moor, ["exec", "reader", "--", "cat", "/web/index.html"])).trim(), "from-instance");
    await kubectlOk(moor, ["exec", "reader", "--", "sh", "-c", "echo from-pod > /web/pod.txt"]);
    assert.equal((await inInstance(writer, "cat /mnt/ap/pod.txt")).output, "from-pod");
  });

  it("after Moor restarts, the instance's mounts still serve, a second mount on one is refused, umount takes it off and it mounts again", async () => {
    const before = hostMountPointsOf(writer).length;
    await moor.stop();
    await moor.start();
    assert.doesNotMatch(moor.output(), /cannot be taken back|unmounting ".*" failed/, "the restarted Moor takes the instance's mounts back");
    assert.equal((await inInstance(writer, "cat /mnt/nfs/web/index.html && echo again > /mnt/nfs/after-restart.txt && cat /mnt/nfs/after-restart.txt")).output, "from-instance\nagain");
    const twice = await inInstance(writer, `mount -t nfs -o ${nfsOptions} ${dnsName}:/ /mnt/nfs`);
    assert.deepEqual([twice.code, twice.output], [32, "mount.nfs: /mnt/nfs is busy or already mounted"]);
    const off = await inInstance(writer, "umount /mnt/nfs && grep -c ' /mnt/nfs ' /proc/mounts");
    assert.deepEqual([off.code, off.output], [1, "0"], "grep finds no /mnt/nfs after umount");
    await waitFor("the host mount to go", () => hostMountPointsOf(writer).length === before - 1 || undefined, 30_000);
    assert.doesNotMatch(moor.output(), /unmounting ".*" failed/);
    const back = await inInstance(writer, `mount -t nfs -o ${nfsOptions} ${dnsName}:/ /mnt/nfs && cat /mnt/nfs/after-restart.txt`);
    assert.deepEqual([back.code, back.output], [0, "again"]);
  });

  it("refuses as the helpers do: no mount target in the instance's zone", async () => {
    const id = await runInstance("zone-c", subnets[2]!.subnetId, "#!/bin/bash\necho ready\n");
    await userDataOutput(id, "ready");
    const nfs = await inInstance(id, `mkdir -p /mnt/efs && mount -t nfs -o ${nfsOptions} ${dnsName}:/ /mnt/efs`);
    assert.equal(nfs.code, 32);
    assert.equal(nfs.output.split("\n")[0], `mount.nfs: Failed to resolve server ${dnsName}: Name or service not known`);
    assert.match(nfs.output, /no available mount target in availability zone "us-east-1c"/);
    const efs = await inInstance(id, `mount -t efs -o tls ${fileSystemId}:/ /mnt/efs`);
    assert.equal(efs.code, 1);
    assert.equal(
      efs.output.split("\n").slice(0, 2).join("\n"),
      `Failed to resolve "${dnsName}" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID.\nSee https://docs.aws.amazon.com/console/efs/mount-dns-name for more detail.`,
    );
    const iam = await inInstance(id, `mount -t efs -o tls,iam ${fileSystemId}:/ /mnt/efs`);
    assert.equal(iam.code, 1);
    assert.match(iam.output, /^AWS Access Key ID and Secret Access Key are not found in AWS credentials file \(\/root\/\.aws\/credentials\), config file \(\/root\/\.aws\/config\), from ECS credentials relative uri, or from the instance security credentials service\nmoor: the instance "i-[0-9a-f]+" was launched without an IAM instance profile$/);
    const zonal = await inInstance(id, `mount -t nfs4 -o ${nfsOptions} us-east-1a.${dnsName}:/ /mnt/efs && ls /mnt/efs`);
    assert.equal(zonal.code, 0, `a zone's own DNS name reaches its mount target from another zone: ${zonal.output}`);
    assert.match(zonal.output, /root\.txt/);
  });

  it("refuses as the helpers do: security groups that do not let TCP 2049 through", async () => {
    const vpcId = (await awsJson(moor, ["ec2", "describe-subnets", "--subnet-ids", subnets[0]!.subnetId])).Subnets[0].VpcId;
    const group = (await awsJson(moor, ["ec2", "create-security-group", "--group-name", "no-nfs", "--description", "no NFS", "--vpc-id", vpcId])).GroupId as string;
    const id = await runInstance("no-nfs", subnets[0]!.subnetId, "#!/bin/bash\necho ready\n", [group]);
    await userDataOutput(id, "ready");
    const nfs = await inInstance(id, `mkdir -p /mnt/efs && mount -t nfs4 -o ${nfsOptions} ${dnsName}:/ /mnt/efs`);
    assert.equal(nfs.code, 32);
    assert.equal(nfs.output.split("\n")[0], "mount.nfs4: Connection timed out");
    assert.match(nfs.output, /does not admit TCP port 2049 from "10\.42\./);
  });

  it("the file-system policy: an anonymous client is denied, the instance profile's role through the access point with iam is let in; mounts leave the host with a terminated instance", async () => {
    const policy = {
      Version: "2012-10-17",
      Statement: [{
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::000000000000:role/ecsTaskRole" },
        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        Resource: `arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/${fileSystemId}`,
        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": `arn:aws:elasticfilesystem:us-east-1:000000000000:access-point/${accessPointId}` } },
      }, {
        Effect: "Allow",
        Principal: { AWS: clientRole },
        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        Resource: `arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/${fileSystemId}`,
        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": `arn:aws:elasticfilesystem:us-east-1:000000000000:access-point/${accessPointId}` } },
      }],
    };
    await awsJson(moor, ["efs", "put-file-system-policy", "--file-system-id", fileSystemId, "--policy", JSON.stringify(policy)]);
    const nfs = await inInstance(writer, `mkdir -p /mnt/denied && mount -t nfs -o ${nfsOptions} ${dnsName}:/ /mnt/denied`);
    assert.equal(nfs.code, 32);
    assert.equal(nfs.output.split("\n")[0], `mount.nfs: access denied by server while mounting ${dnsName}:/`);
    const efs = await inInstance(writer, `mount -t efs -o tls,accesspoint=${accessPointId} ${fileSystemId}:/ /mnt/denied`);
    assert.equal(efs.code, 32);
    assert.equal(efs.output.split("\n")[0], `mount.nfs4: access denied by server while mounting ${dnsName}:/`);
    const withoutAccessPoint = await inInstance(writer, `mount -t efs -o tls,iam ${fileSystemId}:/ /mnt/denied`);
    assert.equal(withoutAccessPoint.output.split("\n")[0], `mount.nfs4: access denied by server while mounting ${dnsName}:/`);
    const role = await inInstance(writer, `mount -t efs -o tls,iam,accesspoint=${accessPointId} ${fileSystemId}:/ /mnt/denied && echo by-role > /mnt/denied/role.txt && stat -c %u /mnt/denied/role.txt && umount /mnt/denied`);
    assert.equal(role.code, 0, role.output);
    assert.equal(role.output, "1000");
    assert.equal((await kubectlOk(moor, ["exec", "reader", "--", "cat", "/web/role.txt"])).trim(), "by-role");
    assert.ok(hostMountsOf(writer).length > 0, "the writer's earlier mounts are on the host");
    await awsJson(moor, ["ec2", "terminate-instances", "--instance-ids", writer]);
    await waitFor("the writer's host mounts to go", () => hostMountsOf(writer).length === 0 || undefined, 60_000);
    assert.equal((await kubectlJson(moor, ["get", "pods", "-n", "aws-ec2", "-o", "json"])).items.some((pod: any) => pod.metadata.name === writer && !pod.metadata.deletionTimestamp), false);
  });
});
