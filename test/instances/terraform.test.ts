// Issue 13: Terraform's AWS provider (5.100, from the machine's filesystem mirror) manages an
// aws_instance with user_data and an aws_cloudwatch_log_group against Moor: apply (the instance
// runs and its user data ran), a second plan with no changes, destroy. Skipped where the
// machine has no Terraform.

import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { aws, type MoorUnderTest, startMoor } from "../harness.js";
import { terminateAll } from "./_instances.js";
import { kubectl } from "../kubectl.js";
import { applied, awsProvider, terraform, terraformDirectory, terraformMissing } from "../_terraform.js";

const missing = terraformMissing;
let moor: MoorUnderTest;
let directory = "";
before(async () => {
  if (missing) return;
  moor = await startMoor();
  directory = terraformDirectory("moor-terraform-instances-");
});
after(async () => {
  try {
    if (moor) await terminateAll(moor);
  } finally {
    await moor?.dispose();
  }
  if (directory) rmSync(directory, { recursive: true, force: true });
});

function configuration(): string {
  return `${awsProvider(moor.awsEndpoint, ["ec2", "sts", "cloudwatchlogs"])}
resource "aws_cloudwatch_log_group" "web" {
  name              = "/ecs/web"
  retention_in_days = 7
  tags              = { team = "web" }
}
resource "aws_instance" "writer" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  user_data     = <<-EOT
    #!/bin/bash
    echo "hello from terraform" > /var/tmp/hello
  EOT
  tags = { Name = "tf-writer" }
}
`;
}

it("applies an instance with user data and a log group, plans no changes, and destroys them", { skip: missing }, async () => {
  writeFileSync(join(directory, "main.tf"), configuration());
  await applied(directory, ["init", "-input=false"]);
  await applied(directory, ["apply", "-auto-approve", "-input=false"]);
  const state = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "ec2", "describe-instances", "--filters", "Name=tag:Name,Values=tf-writer", "--query", "Reservations[0].Instances[0].[InstanceId,State.Name]", "--output", "text"]);
  const [id, name] = state.stdout.trim().split(/\s+/);
  assert.equal(name, "running");
  const hello = await kubectl(moor, ["exec", "-n", "aws-ec2", id!, "--", "cat", "/var/tmp/hello"]);
  assert.equal(hello.stdout, "hello from terraform\n");
  const plan = await terraform(directory, ["plan", "-detailed-exitcode", "-input=false"]);
  assert.equal(plan.code, 0, plan.stdout);
  await applied(directory, ["destroy", "-auto-approve", "-input=false"]);
  const after = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "ec2", "describe-instances", "--instance-ids", id!, "--query", "Reservations[0].Instances[0].State.Name", "--output", "text"]);
  assert.equal(after.stdout.trim(), "terminated");
  const groups = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "logs", "describe-log-groups", "--query", "logGroups[].logGroupName", "--output", "text"]);
  assert.equal(groups.stdout.trim(), "");
});
