// EKS (was test/eks/terraform.test.ts): aws_eks_cluster in two private subnets, an
// aws_eks_fargate_profile and an aws_eks_node_group; the cluster's VPC as an output. The update
// scales the node group from 1 to 2 in place. After destroy the cluster is not found.

import assert from "node:assert/strict";
import { aws } from "../harness.js";
import { cli, output, type StackPart } from "./_part.js";

function hcl(updated: boolean): string {
  return `
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
    desired_size = ${updated ? 2 : 1}
    max_size     = 2
    min_size     = 0
  }
}
output "eks_endpoint" { value = aws_eks_cluster.c.endpoint }
output "eks_vpc" { value = aws_eks_cluster.c.vpc_config[0].vpc_id }
`;
}

const desiredSize = async (moor: Parameters<typeof cli>[0]) =>
  JSON.parse(await cli(moor, ["eks", "describe-nodegroup", "--cluster-name", "tf", "--nodegroup-name", "tf-nodes"])).nodegroup.scalingConfig.desiredSize;

export const eksPart: StackPart = {
  name: "EKS",
  services: ["eks", "sts"],
  hcl,
  added: 3,
  changed: ["aws_eks_node_group.g"],
  async afterApply(context) {
    assert.equal(output(context, "eks_vpc"), "vpc-042a0000000000001");
    assert.match(output(context, "eks_endpoint"), /^https:\/\//);
    assert.equal(await desiredSize(context.moor), 1);
  },
  async afterUpdate(context) {
    assert.equal(await desiredSize(context.moor), 2);
  },
  async afterDestroy({ moor }) {
    assert.match((await aws(moor, ["eks", "describe-cluster", "--name", "tf", "--endpoint-url", moor.awsEndpoint])).stderr, /ResourceNotFoundException/);
  },
};
