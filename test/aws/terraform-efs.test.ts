// Issue 12: Terraform's AWS provider (5.100, from the machine's filesystem mirror) manages EFS
// the way the guides do, against one Moor through its `endpoints` block: a file system, a
// security group in the embedded VPC allowing NFS (TCP 2049) from the VPC's CIDR, a mount
// target in a private subnet with that group (the provider first reads the subnet with
// ec2:DescribeSubnets), an access point, and an IAM role with a policy attached. Create, a second
// plan with no changes, a tag edited in place, no changes again, destroy. Skipped where the
// machine has no Terraform or no provider in the mirror.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { aws } from "../harness.js";
import { applied as appliedTerraform, awsProvider, terraform as runTerraform, terraformMissing, terraformOnMoor } from "../_terraform.js";

const missing = terraformMissing;
const fixture = terraformOnMoor("moor-terraform-efs-");

function configuration(team: string): string {
  return `${awsProvider(fixture.moor.awsEndpoint, ["ec2", "efs", "iam", "sts"])}
data "aws_vpc" "embedded" {
  cidr_block = "10.42.0.0/16"
}
data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.embedded.id]
  }
  filter {
    name   = "tag:kubernetes.io/role/internal-elb"
    values = ["1"]
  }
}
resource "aws_efs_file_system" "data" {
  creation_token = "tf-efs"
  encrypted      = true
  tags           = { Name = "tf-efs", team = "${team}" }
}
resource "aws_security_group" "nfs" {
  name        = "tf-efs-nfs"
  description = "NFS from the VPC"
  vpc_id      = data.aws_vpc.embedded.id
  ingress {
    from_port   = 2049
    to_port     = 2049
    protocol    = "tcp"
    cidr_blocks = [data.aws_vpc.embedded.cidr_block]
  }
}
resource "aws_efs_mount_target" "private" {
  file_system_id  = aws_efs_file_system.data.id
  subnet_id       = sort(data.aws_subnets.private.ids)[0]
  security_groups = [aws_security_group.nfs.id]
}
resource "aws_efs_access_point" "app" {
  file_system_id = aws_efs_file_system.data.id
  posix_user {
    uid = 1000
    gid = 1000
  }
  root_directory {
    path = "/app"
    creation_info {
      owner_uid   = 1000
      owner_gid   = 1000
      permissions = "750"
    }
  }
}
resource "aws_iam_role" "client" {
  name = "tf-efs-client"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "eks-fargate-pods.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
resource "aws_iam_policy" "mount" {
  name = "tf-efs-mount"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
      Resource = aws_efs_file_system.data.arn
    }]
  })
}
resource "aws_iam_role_policy_attachment" "mount" {
  role       = aws_iam_role.client.name
  policy_arn = aws_iam_policy.mount.arn
}
output "mount_target_ip" { value = aws_efs_mount_target.private.ip_address }
output "subnet" { value = aws_efs_mount_target.private.subnet_id }
`;
}

const terraform = (args: string[]) => runTerraform(fixture.directory, args);
const applied = (args: string[]) => appliedTerraform(fixture.directory, args);

async function fileSystems(): Promise<{ FileSystemId: string; Tags: { Key: string; Value: string }[] }[]> {
  const result = await aws(fixture.moor, ["efs", "describe-file-systems", "--output", "json"]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).FileSystems;
}

it("Terraform creates, re-plans with no changes, updates and destroys a file system with a mount target, an access point, a security group and an IAM role", { skip: missing && "no Terraform or no provider in /opt/tf-plugins" }, async () => {
  writeFileSync(join(fixture.directory, "main.tf"), configuration("storage"));
  await applied(["init", "-input=false"]);
  assert.match(await applied(["apply", "-auto-approve", "-input=false"]), /Apply complete! Resources: 7 added, 0 changed, 0 destroyed/);
  assert.equal((await terraform(["plan", "-detailed-exitcode", "-input=false"])).code, 0, "no changes after create");

  const outputs = JSON.parse(await applied(["output", "-json"]).then((text) => text.slice(text.indexOf("{"))));
  const subnet = await aws(fixture.moor, ["ec2", "describe-subnets", "--subnet-ids", outputs.subnet.value, "--query", "Subnets[0].[CidrBlock,Tags[?Key=='kubernetes.io/role/internal-elb'].Value|[0]]", "--output", "text"]);
  assert.equal(subnet.code, 0, subnet.stderr);
  const [cidr, internal] = subnet.stdout.trim().split(/\s+/);
  assert.equal(internal, "1", "the mount target is in a private subnet");
  assert.match(outputs.mount_target_ip.value, new RegExp(`^${cidr!.split(".").slice(0, 2).join("\\.")}\\.`));
  const [created] = await fileSystems();
  const groups = await aws(fixture.moor, ["efs", "describe-mount-targets", "--file-system-id", created!.FileSystemId, "--query", "MountTargets[0].MountTargetId", "--output", "text"]);
  const attached = await aws(fixture.moor, ["efs", "describe-mount-target-security-groups", "--mount-target-id", groups.stdout.trim(), "--output", "text", "--query", "SecurityGroups[0]"]);
  const named = await aws(fixture.moor, ["ec2", "describe-security-groups", "--group-ids", attached.stdout.trim(), "--query", "SecurityGroups[0].[GroupName,IpPermissions[0].FromPort]", "--output", "text"]);
  assert.deepEqual(named.stdout.trim().split(/\s+/), ["tf-efs-nfs", "2049"]);

  writeFileSync(join(fixture.directory, "main.tf"), configuration("platform"));
  assert.match(await applied(["apply", "-auto-approve", "-input=false"]), /Apply complete! Resources: 0 added, 1 changed, 0 destroyed/);
  assert.equal((await terraform(["plan", "-detailed-exitcode", "-input=false"])).code, 0, "no changes after update");
  const [updated] = await fileSystems();
  assert.equal(updated!.Tags.find((tag) => tag.Key === "team")?.Value, "platform");

  assert.match(await applied(["destroy", "-auto-approve", "-input=false"]), /Destroy complete! Resources: 7 destroyed/);
  assert.deepEqual(await fileSystems(), []);
  const left = await aws(fixture.moor, ["ec2", "describe-security-groups", "--filters", "Name=group-name,Values=tf-efs-nfs", "--query", "SecurityGroups[].GroupId", "--output", "text"]);
  assert.equal(left.stdout.trim(), "");
});
