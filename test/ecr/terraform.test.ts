// Issue 14: Terraform's AWS provider (5.100, from the machine's filesystem mirror) manages an
// aws_ecr_repository (tag mutability, scan on push, tags, force_delete) on Moor: create, a plan
// with no changes, a setting and a tag changed in place, no changes again, destroy. Skipped
// where the machine has no Terraform or no provider in the mirror.

import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { aws, type MoorUnderTest, startMoor } from "../harness.js";
import { applied, awsProvider, terraformDirectory, terraformMissing } from "../_terraform.js";

let moor: MoorUnderTest;
let directory = "";
before(async () => {
  if (terraformMissing) return;
  moor = await startMoor();
  directory = terraformDirectory("moor-terraform-ecr-");
});
after(async () => {
  await moor?.dispose();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

function configuration(mutability: string, team: string): string {
  return `${awsProvider(moor.awsEndpoint, ["ecr", "sts"])}
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
  const result = await aws(moor, ["ecr", "describe-repositories", "--endpoint-url", moor.awsEndpoint, "--region", "us-east-1", "--repository-names", "tf/app"]);
  return { code: result.code, repository: result.code === 0 ? JSON.parse(result.stdout).repositories[0] : undefined };
};

it("creates, updates in place and destroys an aws_ecr_repository", { skip: terraformMissing }, async () => {
  writeFileSync(join(directory, "main.tf"), configuration("MUTABLE", "a"));
  await applied(directory, ["init", "-input=false"]);
  const created = await applied(directory, ["apply", "-auto-approve", "-input=false"]);
  assert.match(created, /url = "000000000000\.dkr\.ecr\.us-east-1\.amazonaws\.com\/tf\/app"/);
  assert.match(await applied(directory, ["plan", "-input=false"]), /No changes\./);
  writeFileSync(join(directory, "main.tf"), configuration("IMMUTABLE", "b"));
  const updated = await applied(directory, ["apply", "-auto-approve", "-input=false"]);
  assert.match(updated, /0 added, 1 changed, 0 destroyed/);
  const { repository } = await describe();
  assert.deepEqual([repository.imageTagMutability, repository.imageScanningConfiguration.scanOnPush], ["IMMUTABLE", true]);
  assert.match(await applied(directory, ["plan", "-input=false"]), /No changes\./);
  await applied(directory, ["destroy", "-auto-approve", "-input=false"]);
  assert.notEqual((await describe()).code, 0);
});
