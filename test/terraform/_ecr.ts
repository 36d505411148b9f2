// ECR (was test/ecr/terraform.test.ts): an aws_ecr_repository with tag mutability, scan on
// push, tags and force_delete; its URL as an output. The update changes the mutability and a
// tag in place. After destroy the repository is gone.

import assert from "node:assert/strict";
import { aws, type MoorUnderTest } from "../harness.js";
import { output, type StackPart } from "./_part.js";

function hcl(updated: boolean): string {
  return `
resource "aws_ecr_repository" "app" {
  name                 = "tf/app"
  image_tag_mutability = "${updated ? "IMMUTABLE" : "MUTABLE"}"
  force_delete         = true
  image_scanning_configuration {
    scan_on_push = true
  }
  tags = { team = "${updated ? "b" : "a"}" }
}
output "ecr_url" { value = aws_ecr_repository.app.repository_url }
`;
}

async function describeRepository(moor: MoorUnderTest) {
  const result = await aws(moor, ["ecr", "describe-repositories", "--endpoint-url", moor.awsEndpoint, "--region", "us-east-1", "--repository-names", "tf/app"]);
  return { code: result.code, stderr: result.stderr, repository: result.code === 0 ? JSON.parse(result.stdout).repositories[0] : undefined };
}

export const ecrPart: StackPart = {
  name: "ECR",
  services: ["ecr", "sts"],
  hcl,
  added: 1,
  changed: ["aws_ecr_repository.app"],
  async afterApply(context) {
    assert.equal(output(context, "ecr_url"), "000000000000.dkr.ecr.us-east-1.amazonaws.com/tf/app");
    const { repository } = await describeRepository(context.moor);
    assert.deepEqual([repository?.imageTagMutability, repository?.imageScanningConfiguration?.scanOnPush], ["MUTABLE", true]);
  },
  async afterUpdate(context) {
    const { repository } = await describeRepository(context.moor);
    assert.deepEqual([repository?.imageTagMutability, repository?.imageScanningConfiguration?.scanOnPush], ["IMMUTABLE", true]);
  },
  async afterDestroy(context) {
    const left = await describeRepository(context.moor);
    assert.notEqual(left.code, 0);
    assert.match(left.stderr, /RepositoryNotFoundException/);
  },
};
