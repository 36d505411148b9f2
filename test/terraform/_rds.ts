// RDS (was test/rds/terraform.test.ts): aws_db_subnet_group and a MySQL aws_db_instance
// (db.t3.micro, storage, master user, skip_final_snapshot, a security group of its own opening
// 3306 to the VPC). The Go SDK v2 under the provider is strict about the query protocol's XML
// answers. After the first apply the endpoint's name resolves on the host and the `mariadb`
// client reads the initial database through it; after destroy no DB instance is left.

import assert from "node:assert/strict";
import { run } from "../harness.js";
import { cli, output, type StackPart } from "./_part.js";

const hcl = () => `
resource "aws_security_group" "rds_db" {
  name        = "tf-rds-db"
  description = "MySQL from the VPC"
  vpc_id      = data.aws_vpc.embedded.id
  ingress {
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = ["10.42.0.0/16"]
  }
}
resource "aws_db_subnet_group" "rds_app" {
  name       = "tf-rds-app"
  subnet_ids = ["subnet-042a0000000000001", "subnet-042a0000000000002"]
  tags       = { Name = "tf-rds-app" }
}
resource "aws_db_instance" "rds_app" {
  identifier             = "tf-db"
  engine                 = "mysql"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  db_name                = "app"
  username               = "admin"
  password               = "Sup3rSecret!"
  db_subnet_group_name   = aws_db_subnet_group.rds_app.name
  vpc_security_group_ids = [aws_security_group.rds_db.id]
  skip_final_snapshot    = true
}
output "rds_address" { value = aws_db_instance.rds_app.address }
output "rds_port" { value = aws_db_instance.rds_app.port }
`;

export const rdsPart: StackPart = {
  name: "RDS",
  services: ["ec2", "rds", "sts"],
  hcl,
  added: 3,
  changed: [],
  async afterApply(context) {
    const address = output(context, "rds_address");
    assert.match(address, /^tf-db\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/);
    assert.equal(context.outputs.rds_port?.value, 3306);
    const fromHost = await run("mariadb", ["-h", address, "-u", "admin", "-pSup3rSecret!", "--connect-timeout=5", "-N", "-e", "SELECT DATABASE()", "app"], { timeoutMs: 30_000 });
    assert.equal(fromHost.stdout.trim(), "app", fromHost.stderr);
  },
  async afterDestroy(context) {
    assert.equal(await cli(context.moor, ["rds", "describe-db-instances", "--query", "DBInstances[].DBInstanceIdentifier", "--output", "text"]), "");
  },
};
