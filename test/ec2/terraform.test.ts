// Issue 12: Terraform's AWS provider (5.100, from the machine's filesystem mirror) manages
// aws_vpc, aws_subnet and aws_security_group with rules against Moor through its `endpoints`
// block: create, a second plan with no changes, an update in place, no changes again, destroy.
// Skipped where the machine has no Terraform.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { aws } from "../harness.js";
import { applied as appliedTerraform, awsProvider, terraform as runTerraform, terraformMissing, terraformOnMoor } from "../_terraform.js";

const missing = terraformMissing;
const fixture = terraformOnMoor("moor-terraform-");

function configuration(extraRule: string): string {
  return `${awsProvider(fixture.moor.awsEndpoint, ["ec2", "sts"])}
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
  }
  ${extraRule}
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { Name = "tf-efs" }
}
output "main_route_table_id" { value = aws_vpc.main.main_route_table_id }
output "default_network_acl_id" { value = aws_vpc.main.default_network_acl_id }
`;
}

const terraform = (args: string[]) => runTerraform(fixture.directory, args);
const applied = (args: string[]) => appliedTerraform(fixture.directory, args);

it("Terraform creates, re-plans with no changes, updates and destroys aws_vpc, aws_subnet and aws_security_group", { skip: missing && "no Terraform here" }, async () => {
  writeFileSync(join(fixture.directory, "main.tf"), configuration(""));
  await applied(["init", "-input=false"]);
  assert.match(await applied(["apply", "-auto-approve", "-input=false"]), /Apply complete! Resources: 4 added, 0 changed, 0 destroyed/);
  assert.equal((await terraform(["plan", "-detailed-exitcode", "-input=false"])).code, 0, "no changes after create");
  const outputs = JSON.parse(await applied(["output", "-json"]).then((text) => text.slice(text.indexOf("{"))));
  assert.match(outputs.main_route_table_id.value, /^rtb-/);
  assert.match(outputs.default_network_acl_id.value, /^acl-/);
  const extra = `ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    security_groups = [aws_security_group.clients.id]\n  }`;
  writeFileSync(join(fixture.directory, "main.tf"), configuration(extra));
  assert.match(await applied(["apply", "-auto-approve", "-input=false"]), /Apply complete! Resources: 0 added, 1 changed, 0 destroyed/);
  assert.equal((await terraform(["plan", "-detailed-exitcode", "-input=false"])).code, 0, "no changes after update");
  const groups = await aws(fixture.moor, ["ec2", "describe-security-groups", "--filters", "Name=group-name,Values=tf-efs", "--query", "SecurityGroups[0].IpPermissions[].FromPort", "--output", "text"]);
  assert.deepEqual(groups.stdout.trim().split(/\s+/).sort(), ["2049", "22"]);
  assert.match(await applied(["destroy", "-auto-approve", "-input=false"]), /Destroy complete! Resources: 4 destroyed/);
  const vpcs = await aws(fixture.moor, ["ec2", "describe-vpcs", "--query", "Vpcs[].CidrBlock", "--output", "text"]);
  assert.equal(vpcs.stdout.trim(), "10.42.0.0/16");
});
