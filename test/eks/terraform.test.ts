// Issue 12: Terraform's AWS provider (configured with its `endpoints` block) creates, reads,
// updates and destroys aws_eks_cluster, aws_eks_fargate_profile and aws_eks_node_group on Moor,
// and a second plan shows no changes. Runs where the machine has Terraform and the provider in
// the local mirror /opt/tf-plugins (no network); skipped elsewhere.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { aws, type MoorUnderTest, run, startMoor } from "../harness.js";

const mirror = "/opt/tf-plugins";
const providerVersion = "5.100.0";
const available = existsSync(join(mirror, "registry.terraform.io/hashicorp/aws", providerVersion)) && existsSync("/usr/local/bin/terraform");

let moor: MoorUnderTest;
before(async () => {
  if (available) moor = await startMoor();
});
after(async () => {
  await moor?.dispose();
});

function configuration(endpoint: string, desiredSize: number): string {
  return `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "${providerVersion}" }
  }
}
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "moor"
  secret_key                  = "moor-secret-access-key"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    eks = "${endpoint}"
    sts = "${endpoint}"
  }
}
resource "aws_eks_cluster" "c" {
  name     = "tf"
  role_arn = "arn:aws:iam::000000000000:role/eks"
  vpc_config {
    subnet_ids = ["subnet-042a0000000000001", "subnet-042a0000000000002"]
  }
}
resource "aws_eks_fargate_profile" "p" {
  cluster_name           = aws_eks_cluster.c.name
  fargate_profile_name   = "fp-tf"
  pod_execution_role_arn = "arn:aws:iam::000000000000:role/pods"
  subnet_ids             = ["subnet-042a0000000000001"]
  selector {
    namespace = "tf"
    labels    = { app = "web" }
  }
}
resource "aws_eks_node_group" "g" {
  cluster_name    = aws_eks_cluster.c.name
  node_group_name = "tf-nodes"
  node_role_arn   = "arn:aws:iam::000000000000:role/nodes"
  subnet_ids      = ["subnet-042a0000000000001"]
  scaling_config {
    desired_size = ${desiredSize}
    max_size     = 2
    min_size     = 0
  }
}
output "endpoint" { value = aws_eks_cluster.c.endpoint }
output "vpc" { value = aws_eks_cluster.c.vpc_config[0].vpc_id }
`;
}

it("Terraform creates, reads, updates and destroys an EKS cluster, Fargate profile and node group", { skip: !available && "no Terraform or no local provider mirror" }, async () => {
  const directory = join(moor.home, "terraform");
  mkdirSync(directory);
  writeFileSync(join(moor.home, "cli.tfrc"), `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct { exclude = ["registry.terraform.io/hashicorp/aws"] }\n}\n`);
  const env = { ...process.env, TF_CLI_CONFIG_FILE: join(moor.home, "cli.tfrc"), TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
  const terraform = async (...args: string[]) => {
    const result = await run("terraform", [`-chdir=${directory}`, ...args, "-no-color"], { env, timeoutMs: 300_000 });
    return result;
  };
  const ok = async (...args: string[]) => {
    const result = await terraform(...args);
    assert.equal(result.code, 0, `terraform ${args.join(" ")}: ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  writeFileSync(join(directory, "main.tf"), configuration(moor.awsEndpoint, 1));
  await ok("init", "-input=false");
  const applied = await ok("apply", "-auto-approve", "-input=false");
  assert.match(applied, /Resources: 3 added/);
  assert.match(applied, /vpc = "vpc-042a0000000000001"/);
  assert.equal((await terraform("plan", "-detailed-exitcode", "-input=false")).code, 0, "a second plan shows no changes");

  writeFileSync(join(directory, "main.tf"), configuration(moor.awsEndpoint, 2));
  assert.match(await ok("apply", "-auto-approve", "-input=false"), /Resources: 0 added, 1 changed, 0 destroyed/);
  const group = JSON.parse((await aws(moor, ["eks", "describe-nodegroup", "--cluster-name", "tf", "--nodegroup-name", "tf-nodes"])).stdout).nodegroup;
  assert.equal(group.scalingConfig.desiredSize, 2);
  assert.equal((await terraform("plan", "-detailed-exitcode", "-input=false")).code, 0, "no changes after the update either");

  assert.match(await ok("destroy", "-auto-approve", "-input=false"), /Resources: 3 destroyed/);
  assert.match((await aws(moor, ["eks", "describe-cluster", "--name", "tf"])).stderr, /ResourceNotFoundException/);
});
