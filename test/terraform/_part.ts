// What every service's part of the one Terraform stack (stack.test.ts) provides, and what the
// parts share: the data sources for Moor's embedded VPC and its private subnets, the aws CLI
// asserting success, and the outputs of the first apply.
//
// A part is one service's resources as a guide would write them (its HCL, with resource and
// AWS names no other part uses), how many resources its first apply adds, which addresses the
// stack's one updating apply changes in place, and the checks run with the aws CLI or the SDK
// after the first apply, after the update and after destroy. Parts may refer to one another's
// resources (and to the shared data sources) where the guide would.

import assert from "node:assert/strict";
import { aws, type MoorUnderTest } from "../harness.js";

export interface StackContext {
  moor: MoorUnderTest;
  /** `terraform output -json` after the first apply, by output name (each part prefixes its own). */
  outputs: Record<string, { value: unknown }>;
}

export interface StackPart {
  name: string;
  /** The provider's `endpoints` this part needs (sent to Moor). */
  services: string[];
  /** The part's HCL before (`updated` false) and after the stack's updating apply. */
  hcl(updated: boolean): string;
  /** Resources the first apply adds for this part (and destroy removes). */
  added: number;
  /** Resource addresses the updating apply modifies in place (none added or destroyed). */
  changed: string[];
  afterApply(context: StackContext): Promise<void>;
  afterUpdate?(context: StackContext): Promise<void>;
  afterDestroy(context: StackContext): Promise<void>;
  /** Run after the file's tests even when they failed, before Moor stops (e.g. ending instances). */
  cleanUp?(moor: MoorUnderTest): Promise<void>;
}

/** Data sources several parts use: the embedded VPC and its private subnets (tagged for internal ELBs). */
export const sharedHcl = `
data "aws_vpc" "embedded" {
  cidr_block = "10.42.0.0/16"
}
data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.embedded.id]
  }
  filter {
    name   = "tag:kubernetes.io/role/internal-elb"
    values = ["1"]
  }
}
`;

/** Runs the aws CLI against the Moor, asserts it succeeded, and returns its trimmed output. */
export async function cli(moor: MoorUnderTest, args: string[]): Promise<string> {
  const result = await aws(moor, [...args, "--endpoint-url", moor.awsEndpoint]);
  assert.equal(result.code, 0, `aws ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

/** An output's value as a string. */
export function output(context: StackContext, name: string): string {
  const value = context.outputs[name]?.value;
  assert.equal(typeof value, "string", `output ${name} is missing`);
  return value as string;
}

/** SDK v3 client options for the Moor's AWS endpoint. */
export function sdkOptions(moor: MoorUnderTest): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string }; maxAttempts: number } {
  return { endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "moor", secretAccessKey: "moor-secret" }, maxAttempts: 1 };
}
