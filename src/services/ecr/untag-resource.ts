// UntagResource: removes tags by key; a key the repository does not have is no error.

import type { EcrContext } from "./_context.js";
import { repositoryOfArn } from "./list-tags-for-resource.js";

export function untagResource(context: EcrContext, input: { resourceArn: string; tagKeys: string[] }) {
  const repository = repositoryOfArn(context, input.resourceArn);
  const tags = repository.spec!.tags.filter((tag) => !input.tagKeys.includes(tag.Key));
  context.store.update({ ...repository, spec: { ...repository.spec!, tags } }, { expectedRevision: repository.metadata.resourceVersion });
  return {};
}
