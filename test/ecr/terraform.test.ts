// Issue 14: Terraform's AWS provider (5.100, from the machine's filesystem mirror) manages an
// aws_ecr_repository (tag mutability, scan on push, tags, force_delete) on Moor: create, a plan
// with no changes, a setting and a tag changed in place, no changes again, destroy. Skipped
// where the machine has no Terraform or no provider in the mirror.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { aws } from "../harness.js";
import { applied, awsProvider, terraformMissing, terraformOnMoor } from "../_terraform.js";

const tf = terraformOnMoor("moor-terraform-ecr-");

function configuration(mutability: string, team: string): string {
  return `${awsProvider(tf.moor.awsEndpoint, ["ecr", "sts"])}
resource "aws_ecr_repository" "app" {
  name                 = "tf/app"
  image_tag_mutability = "${mutability}"
  force_delete         = true
  image_scanning_configuration {
    scan_on_push = true
  }
  tags = { team = "${team}" }
}
output "url" {
  value = aws_ecr_repository.app.repository_url
}
`;
}

const describe = async () => {
  const result = await aws(tf.moor, ["ecr", "describe-repositories", "--endpoint-url", tf.moor.awsEndpoint, "--region", "us-east-1", "--repository-names", "tf/app"]);
  return { code: result.code, repository: result.code === 0 ? JSON.parse(result.stdout).repositories[0] : undefined };
};

it("creates, updates in place and destroys an aws_ecr_repository", { skip: terraformMissing }, async () => {
  writeFileSync(join(tf.directory, "main.tf"), configuration("MUTABLE", "a"));
  await applied(tf.directory, ["init", "-input=false"]);
  const created = await applied(tf.directory, ["apply", "-auto-approve", "-input=false"]);
  assert.match(created, /url = "000000000000\.dkr\.ecr\.us-east-1\.amazonaws\.com\/tf\/app"/);
  assert.match(await applied(tf.directory, ["plan", "-input=false"]), /No changes\./);
  writeFileSync(join(tf.directory, "main.tf"), configuration("IMMUTABLE", "b"));
  const updated = await applied(tf.directory, ["apply", "-auto-approve", "-input=false"]);
  assert.match(updated, /0 added, 1 changed, 0 destroyed/);
  const { repository } = await describe();
  assert.deepEqual([repository.imageTagMutability, repository.imageScanningConfiguration.scanOnPush], ["IMMUTABLE", true]);
  assert.match(await applied(tf.directory, ["plan", "-input=false"]), /No changes\./);
  await applied(tf.directory, ["destroy", "-auto-approve", "-input=false"]);
  assert.notEqual((await describe()).code, 0);
});
