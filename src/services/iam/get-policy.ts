// GetPolicy: a customer or AWS-managed policy by ARN, with its attachment count.

import type { IamContext } from "./_context.js";
import { findPolicy, policyOutput } from "./_policies.js";

export function getPolicy(context: IamContext, input: { PolicyArn: string }): { Policy: Record<string, unknown> } {
  return { Policy: policyOutput(context, findPolicy(context, input.PolicyArn)) };
}
