// DescribeTags: the tags of load balancers, target groups and listeners by ARN.

import type { Elbv2Context } from "./_context.js";
import { resourceByArn } from "./_tagging.js";

export function describeTags(context: Elbv2Context, input: { ResourceArns?: string[] }) {
  return { TagDescriptions: (input.ResourceArns ?? []).map((arn) => ({ ResourceArn: arn, Tags: resourceByArn(context, arn).spec.tags })) };
}
