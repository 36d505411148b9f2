// Issue 15: Terraform's AWS provider (5.100, from the machine's filesystem mirror, the Go SDK v2
// underneath: strict about the query protocol's XML answers) manages an RDS MySQL instance
// against Moor: aws_db_subnet_group and aws_db_instance (db.t3.micro, storage, master user,
// skip_final_snapshot, a security group of its own) apply, a second plan shows no changes, and
// destroy removes them. Skipped where the machine has no Terraform.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { aws, run } from "../harness.js";
import { applied as appliedTerraform, awsProvider, terraform as runTerraform, terraformMissing, terraformOnMoor } from "../_terraform.js";

const missing = terraformMissing;
const fixture = terraformOnMoor("moor-terraform-rds-");

function configuration(): string {
  return `${awsProvider(fixture.moor.awsEndpoint, ["ec2", "rds", "sts"])}
resource "aws_security_group" "db" {
  name        = "tf-db"
  description = "MySQL from the VPC"
  vpc_id      = "vpc-042a0000000000001"
  ingress {
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = ["10.42.0.0/16"]
  }
}
resource "aws_db_subnet_group" "app" {
  name       = "tf-app"
  subnet_ids = ["subnet-042a0000000000001", "subnet-042a0000000000002"]
  tags       = { Name = "tf-app" }
}
resource "aws_db_instance" "app" {
  identifier             = "tf-db"
  engine                 = "mysql"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  db_name                = "app"
  username               = "admin"
  password               = "Sup3rSecret!"
  db_subnet_group_name   = aws_db_subnet_group.app.name
  vpc_security_group_ids = [aws_security_group.db.id]
  skip_final_snapshot    = true
}
output "address" { value = aws_db_instance.app.address }
output "port" { value = aws_db_instance.app.port }
`;
}

const terraform = (args: string[]) => runTerraform(fixture.directory, args);
const applied = (args: string[]) => appliedTerraform(fixture.directory, args);

it("Terraform creates, re-plans with no changes and destroys aws_db_subnet_group and a MySQL aws_db_instance", { skip: missing && "no Terraform here", timeout: 900_000 }, async () => {
  writeFileSync(join(fixture.directory, "main.tf"), configuration());
  await applied(["init", "-input=false"]);
  assert.match(await applied(["apply", "-auto-approve", "-input=false"]), /Apply complete! Resources: 3 added, 0 changed, 0 destroyed/);
  const plan = await terraform(["plan", "-detailed-exitcode", "-input=false"]);
  assert.equal(plan.code, 0, `no changes after create:\n${plan.stdout}`);
  const outputs = JSON.parse(await applied(["output", "-json"]).then((text) => text.slice(text.indexOf("{"))));
  assert.match(outputs.address.value, /^tf-db\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/);
  assert.equal(outputs.port.value, 3306);
  const fromHost = await run("mariadb", ["-h", outputs.address.value, "-u", "admin", "-pSup3rSecret!", "--connect-timeout=5", "-N", "-e", "SELECT DATABASE()", "app"], { timeoutMs: 30_000 });
  assert.equal(fromHost.stdout.trim(), "app", fromHost.stderr);
  assert.match(await applied(["destroy", "-auto-approve", "-input=false"]), /Destroy complete! Resources: 3 destroyed/);
  const left = await aws(fixture.moor, ["rds", "--endpoint-url", fixture.moor.awsEndpoint, "describe-db-instances", "--query", "DBInstances[].DBInstanceIdentifier", "--output", "text"]);
  assert.equal(left.stdout.trim(), "");
});
