// ListAttachedRolePolicies: name and ARN of each managed policy attached to the role.

import type { IamContext } from "./_context.js";
import { type PageInput, page } from "./_paging.js";
import { getStoredRole } from "./_roles.js";

const policyPathAndName = /^arn:aws:iam::[^:]*:policy(\/(?:.*\/)?)([^/]+)$/;

export function listAttachedRolePolicies(context: IamContext, input: PageInput & { RoleName: string; PathPrefix?: string }): Record<string, unknown> {
  const prefix = input.PathPrefix ?? "/";
  const attached = getStoredRole(context, input.RoleName)
    .spec!.attachedPolicies.map((arn) => ({ arn, parts: policyPathAndName.exec(arn) }))
    .filter(({ parts }) => (parts?.[1] ?? "/").startsWith(prefix))
    .map(({ arn, parts }) => ({ PolicyName: parts?.[2] ?? arn, PolicyArn: arn }));
  const { items, ...rest } = page(attached, input);
  return { AttachedPolicies: items, ...rest };
}
