// EFS (was test/aws/terraform-efs.test.ts): a file system, a security group in the embedded VPC
// allowing NFS (TCP 2049) from the VPC's CIDR, a mount target in a private subnet with that
// group (the provider reads the subnet first), an access point, and an IAM role with a policy
// on the file system attached. The update edits the file system's tag in place.

import assert from "node:assert/strict";
import { cli, output, type StackContext, type StackPart } from "./_part.js";

function hcl(updated: boolean): string {
  return `
resource "aws_efs_file_system" "data" {
  creation_token = "tf-efs"
  encrypted      = true
  tags           = { Name = "tf-efs", team = "${updated ? "platform" : "storage"}" }
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
output "efs_mount_target_ip" { value = aws_efs_mount_target.private.ip_address }
output "efs_subnet" { value = aws_efs_mount_target.private.subnet_id }
`;
}

/** The stack's file systems (this part's and the ECS part's) with their tags. */
async function fileSystems(context: StackContext): Promise<{ FileSystemId: string; CreationToken: string; Tags: { Key: string; Value: string }[] }[]> {
  return JSON.parse(await cli(context.moor, ["efs", "describe-file-systems", "--output", "json"])).FileSystems;
}

async function ours(context: StackContext) {
  const found = (await fileSystems(context)).find((system) => system.CreationToken === "tf-efs");
  assert.ok(found, "the file system tf-efs exists");
  return found;
}

export const efsPart: StackPart = {
  name: "EFS",
  services: ["ec2", "efs", "iam", "sts"],
  hcl,
  added: 7,
  changed: ["aws_efs_file_system.data"],
  async afterApply(context) {
    const { moor } = context;
    const subnet = await cli(moor, ["ec2", "describe-subnets", "--subnet-ids", output(context, "efs_subnet"), "--query", "Subnets[0].[CidrBlock,Tags[?Key=='kubernetes.io/role/internal-elb'].Value|[0]]", "--output", "text"]);
    const [cidr, internal] = subnet.split(/\s+/);
    assert.equal(internal, "1", "the mount target is in a private subnet");
    assert.match(output(context, "efs_mount_target_ip"), new RegExp(`^${cidr!.split(".").slice(0, 2).join("\\.")}\\.`));
    const created = await ours(context);
    const target = await cli(moor, ["efs", "describe-mount-targets", "--file-system-id", created.FileSystemId, "--query", "MountTargets[0].MountTargetId", "--output", "text"]);
    const attached = await cli(moor, ["efs", "describe-mount-target-security-groups", "--mount-target-id", target, "--output", "text", "--query", "SecurityGroups[0]"]);
    const named = await cli(moor, ["ec2", "describe-security-groups", "--group-ids", attached, "--query", "SecurityGroups[0].[GroupName,IpPermissions[0].FromPort]", "--output", "text"]);
    assert.deepEqual(named.split(/\s+/), ["tf-efs-nfs", "2049"]);
    assert.equal(created.Tags.find((tag) => tag.Key === "team")?.Value, "storage");
  },
  async afterUpdate(context) {
    assert.equal((await ours(context)).Tags.find((tag) => tag.Key === "team")?.Value, "platform");
  },
  async afterDestroy(context) {
    // No file system is left (neither this part's nor the ECS part's), nor the NFS group.
    assert.deepEqual(await fileSystems(context), []);
    assert.equal(await cli(context.moor, ["ec2", "describe-security-groups", "--filters", "Name=group-name,Values=tf-efs-nfs", "--query", "SecurityGroups[].GroupId", "--output", "text"]), "");
  },
};
