// IAM (was test/aws/iam-terraform.test.ts): aws_iam_role, aws_iam_policy and two
// aws_iam_role_policy_attachment (an AWS-managed and a customer policy). The update edits the
// policy's action and the role's tags in place (2 changed). Checked with the IAM SDK.

import assert from "node:assert/strict";
import { GetPolicyVersionCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListPoliciesCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import type { MoorUnderTest } from "../harness.js";
import { sdkOptions, type StackContext, type StackPart } from "./_part.js";

const roleName = "AmazonEKSFargatePodExecutionRole";
const managedPolicy = "arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy";

function hcl(updated: boolean): string {
  const [action, team] = updated ? ["elasticfilesystem:ClientWrite", "platform"] : ["elasticfilesystem:ClientMount", "storage"];
  return `
resource "aws_iam_role" "fargate" {
  name = "${roleName}"
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
  policy_arn = "${managedPolicy}"
}
resource "aws_iam_role_policy_attachment" "custom" {
  role = aws_iam_role.fargate.name
  policy_arn = aws_iam_policy.efs.arn
}
`;
}

const client = (moor: MoorUnderTest) => new IAMClient(sdkOptions(moor));

/** The role's team tag, its attached policies' names, and the customer policy's action. */
async function described(moor: MoorUnderTest): Promise<{ team?: string; attached: string[]; action: unknown }> {
  const iam = client(moor);
  try {
    const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!;
    const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
    const policy = (await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies?.find((item) => item.PolicyName === "efs-client");
    assert.ok(policy, "the customer policy efs-client exists");
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policy.Arn, VersionId: policy.DefaultVersionId }));
    const document = JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!));
    return {
      team: role.Tags?.find((tag) => tag.Key === "team")?.Value,
      attached: attached.map((item) => item.PolicyArn === managedPolicy ? "managed" : item.PolicyName!).sort(),
      action: document.Statement[0].Action,
    };
  } finally {
    iam.destroy();
  }
}

export const iamPart: StackPart = {
  name: "IAM",
  services: ["iam", "sts"],
  hcl,
  added: 4,
  changed: ["aws_iam_role.fargate", "aws_iam_policy.efs"],
  async afterApply({ moor }: StackContext) {
    assert.deepEqual(await described(moor), { team: "storage", attached: ["efs-client", "managed"], action: ["elasticfilesystem:ClientMount"] });
  },
  async afterUpdate({ moor }: StackContext) {
    assert.deepEqual(await described(moor), { team: "platform", attached: ["efs-client", "managed"], action: ["elasticfilesystem:ClientWrite"] });
  },
  async afterDestroy({ moor }: StackContext) {
    // Every role and customer policy of the stack (this part's and the EFS part's) is gone.
    const iam = client(moor);
    try {
      assert.deepEqual((await iam.send(new ListRolesCommand({}))).Roles?.map((role) => role.RoleName) ?? [], []);
      assert.deepEqual((await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies?.map((policy) => policy.PolicyName) ?? [], []);
    } finally {
      iam.destroy();
    }
  },
};
