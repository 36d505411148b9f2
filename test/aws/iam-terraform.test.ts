// Terraform's AWS provider manages IAM on Moor through its `endpoints` block: aws_iam_role,
// aws_iam_policy and aws_iam_role_policy_attachment (an AWS-managed and a customer policy) are
// created, a second plan shows no changes, an edit of the policy and the tags is applied in
// place and leaves no changes, and destroy removes everything. Skipped where the machine has no
// Terraform or no AWS provider in its plugin mirror (the provider is not downloaded).

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createIamService } from "../../src/services/iam/mod.js";
import { createMemoryStore } from "../../src/store/mod.js";
import { run } from "../harness.js";
import { accountId, serveModules } from "./_server.js";

const pluginMirror = "/opt/tf-plugins";
const available = existsSync(pluginMirror) && (await run("terraform", ["version"]).then((result) => result.code === 0, () => false));
const store = createMemoryStore();
const work = mkdtempSync(join(tmpdir(), "moor-tf-iam-"));
let endpoint = "";
serveModules([createIamService({ store, accountId })], (served) => {
  endpoint = served.endpoint;
});
after(() => rmSync(work, { recursive: true, force: true }));

writeFileSync(join(work, "cli.tfrc"), `provider_installation {\n  filesystem_mirror {\n    path = "${pluginMirror}"\n  }\n}\n`);

function configuration(action: string, team: string): string {
  return `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  region = "us-east-1"
  access_key = "test"
  secret_key = "test"
  skip_credentials_validation = true
  skip_requesting_account_id = true
  skip_metadata_api_check = true
  endpoints {
    iam = "${endpoint}"
    sts = "${endpoint}"
  }
}
resource "aws_iam_role" "fargate" {
  name = "AmazonEKSFargatePodExecutionRole"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "eks-fargate-pods.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = { team = "${team}" }
}
resource "aws_iam_policy" "efs" {
  name = "efs-client"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["${action}"], Resource = "*" }] })
}
resource "aws_iam_role_policy_attachment" "managed" {
  role = aws_iam_role.fargate.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy"
}
resource "aws_iam_role_policy_attachment" "custom" {
  role = aws_iam_role.fargate.name
  policy_arn = aws_iam_policy.efs.arn
}
`;
}

async function terraform(...args: string[]): Promise<{ code: number; stdout: string }> {
  const result = await run("terraform", [`-chdir=${work}`, ...args, "-no-color", "-input=false"], {
    env: { ...process.env, TF_CLI_CONFIG_FILE: join(work, "cli.tfrc"), TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" },
    timeoutMs: 300_000,
  });
  return { code: result.code ?? -1, stdout: `${result.stdout}${result.stderr}` };
}

describe("IAM with Terraform's AWS provider", { skip: available ? false : "no terraform or no AWS provider in /opt/tf-plugins" }, () => {
  it("creates, shows no changes, updates in place, and destroys", async () => {
    writeFileSync(join(work, "main.tf"), configuration("elasticfilesystem:ClientMount", "storage"));
    assert.equal((await terraform("init")).code, 0);
    const apply = await terraform("apply", "-auto-approve");
    assert.equal(apply.code, 0, apply.stdout);
    assert.equal(store.list("IamRole").items.length, 1);
    assert.equal(store.list("IamPolicy").items.length, 1);
    const same = await terraform("plan", "-detailed-exitcode");
    assert.equal(same.code, 0, `a second plan must show no changes:\n${same.stdout}`);

    writeFileSync(join(work, "main.tf"), configuration("elasticfilesystem:ClientWrite", "platform"));
    const update = await terraform("apply", "-auto-approve");
    assert.equal(update.code, 0, update.stdout);
    assert.match(update.stdout, /2 changed, 0 destroyed/);
    const after = await terraform("plan", "-detailed-exitcode");
    assert.equal(after.code, 0, `after the update a plan must show no changes:\n${after.stdout}`);

    const destroy = await terraform("destroy", "-auto-approve");
    assert.equal(destroy.code, 0, destroy.stdout);
    assert.equal(store.list("IamRole").items.length, 0);
    assert.equal(store.list("IamPolicy").items.length, 0);
  });
});
