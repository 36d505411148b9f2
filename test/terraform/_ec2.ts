// EC2 networking (was test/ec2/terraform.test.ts): aws_vpc, aws_subnet and two
// aws_security_group, one with ingress and egress rules. The update adds an SSH rule from the
// other group in place. After destroy only the embedded VPC is left.

import assert from "node:assert/strict";
import { cli, output, type StackPart } from "./_part.js";

const sshRule = `
  ingress {
    from_port       = 22
    to_port         = 22
    protocol        = "tcp"
    security_groups = [aws_security_group.clients.id]
  }`;

function hcl(updated: boolean): string {
  return `
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = "tf-vpc" }
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
  tags              = { Name = "tf-subnet" }
}
resource "aws_security_group" "clients" {
  name   = "tf-clients"
  vpc_id = aws_vpc.main.id
}
resource "aws_security_group" "efs" {
  name        = "tf-efs"
  description = "NFS from the VPC"
  vpc_id      = aws_vpc.main.id
  ingress {
    from_port   = 2049
    to_port     = 2049
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }${updated ? sshRule : ""}
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "tf-efs" }
}
output "ec2_main_route_table_id" { value = aws_vpc.main.main_route_table_id }
output "ec2_default_network_acl_id" { value = aws_vpc.main.default_network_acl_id }
`;
}

const ports = async (moor: Parameters<typeof cli>[0]) =>
  (await cli(moor, ["ec2", "describe-security-groups", "--filters", "Name=group-name,Values=tf-efs", "--query", "SecurityGroups[0].IpPermissions[].FromPort", "--output", "text"])).split(/\s+/).sort();

export const ec2Part: StackPart = {
  name: "EC2",
  services: ["ec2", "sts"],
  hcl,
  added: 4,
  changed: ["aws_security_group.efs"],
  async afterApply(context) {
    assert.match(output(context, "ec2_main_route_table_id"), /^rtb-/);
    assert.match(output(context, "ec2_default_network_acl_id"), /^acl-/);
    assert.deepEqual(await ports(context.moor), ["2049"]);
  },
  async afterUpdate(context) {
    assert.deepEqual(await ports(context.moor), ["2049", "22"]);
  },
  async afterDestroy(context) {
    assert.equal(await cli(context.moor, ["ec2", "describe-vpcs", "--query", "Vpcs[].CidrBlock", "--output", "text"]), "10.42.0.0/16");
  },
};
