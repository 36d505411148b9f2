// ListTagsForResource, and how the tagging calls read a repository ARN
// ("arn:aws:ecr:<region>:<account>:repository/<name>").

import { ecrError, requireRepository, type EcrContext, type RepositoryObject } from "./_context.js";

const arnPattern = /^arn:aws:ecr:[a-z0-9-]+:(\d{12}):repository\/(.+)$/;

export function repositoryOfArn(context: EcrContext, arn: string): RepositoryObject {
  const match = arnPattern.exec(arn);
  if (!match) throw ecrError("InvalidParameterException", `Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'`);
  return requireRepository(context, match[2]!, match[1]);
}

export function listTagsForResource(context: EcrContext, input: { resourceArn: string }) {
  return { tags: repositoryOfArn(context, input.resourceArn).spec!.tags };
}
