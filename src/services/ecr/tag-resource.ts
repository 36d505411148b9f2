// TagResource: adds tags to a repository (a key given again takes the new value).

import type { EcrContext, EcrTag } from "./_context.js";
import { repositoryOfArn } from "./list-tags-for-resource.js";
import { checkTags, mergeTags } from "./_tags.js";

export function tagResource(context: EcrContext, input: { resourceArn: string; tags: EcrTag[] }) {
  const repository = repositoryOfArn(context, input.resourceArn);
  const tags = mergeTags(repository.spec!.tags, checkTags(input.tags));
  context.store.update({ ...repository, spec: { ...repository.spec!, tags } }, { expectedRevision: repository.metadata.resourceVersion });
  return {};
}
