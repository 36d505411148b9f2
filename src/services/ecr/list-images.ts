// ListImages: one identifier per tag (an untagged image by its digest alone), filtered by tag
// status, paged.

import { imagesOf, requireRepository, type EcrContext } from "./_context.js";
import { byPushTime, matchesTagStatus, type ImageIdentifier } from "./_images.js";
import { page, type PageInput } from "./_paging.js";

export interface ListImagesInput extends PageInput {
  registryId?: string;
  repositoryName: string;
  filter?: { tagStatus?: string };
}

export function listImages(context: EcrContext, input: ListImagesInput) {
  const repository = requireRepository(context, input.repositoryName, input.registryId);
  const ids: ImageIdentifier[] = byPushTime(imagesOf(repository))
    .filter((image) => matchesTagStatus(image, input.filter?.tagStatus))
    .flatMap((image) => (image.tags.length ? image.tags.map((imageTag) => ({ imageDigest: image.digest, imageTag })) : [{ imageDigest: image.digest }]));
  const { items, nextToken } = page(ids, input);
  return { imageIds: items, nextToken };
}
