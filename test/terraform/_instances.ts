// Instances (was test/instances/terraform.test.ts): an aws_instance with user_data and an
// aws_cloudwatch_log_group. The instance runs and its user data ran (checked inside it with
// kubectl exec). No update. After destroy the instance is terminated and no log group is left.
// The file's clean-up terminates every instance, since sandboxes outlive Moor by design.

import assert from "node:assert/strict";
import { kubectl } from "../kubectl.js";
import { terminateAll } from "../instances/_instances.js";
import { cli, type StackPart } from "./_part.js";

function hcl(): string {
  return `
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
output "instances_writer_id" { value = aws_instance.writer.id }
`;
}

export const instancesPart: StackPart = {
  name: "Instances",
  services: ["ec2", "sts", "cloudwatchlogs"],
  hcl,
  added: 2,
  changed: [],
  async afterApply({ moor, outputs }) {
    const [id, state] = (await cli(moor, ["ec2", "describe-instances", "--filters", "Name=tag:Name,Values=tf-writer", "--query", "Reservations[0].Instances[0].[InstanceId,State.Name]", "--output", "text"])).split(/\s+/);
    assert.equal(id, outputs.instances_writer_id?.value);
    assert.equal(state, "running");
    const hello = await kubectl(moor, ["exec", "-n", "aws-ec2", id!, "--", "cat", "/var/tmp/hello"]);
    assert.equal(hello.stdout, "hello from terraform\n");
    assert.equal(await cli(moor, ["logs", "describe-log-groups", "--query", "logGroups[].[logGroupName,retentionInDays]", "--output", "text"]), "/ecs/web\t7");
  },
  async afterDestroy({ moor, outputs }) {
    const id = String(outputs.instances_writer_id?.value);
    assert.equal(await cli(moor, ["ec2", "describe-instances", "--instance-ids", id, "--query", "Reservations[0].Instances[0].State.Name", "--output", "text"]), "terminated");
    assert.equal(await cli(moor, ["logs", "describe-log-groups", "--query", "logGroups[].logGroupName", "--output", "text"]), "");
  },
  cleanUp: terminateAll,
};
