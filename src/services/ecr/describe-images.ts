// DescribeImages: the repository's images (or the ones `imageIds` name: an unknown one is
// ImageNotFoundException), filtered by tag status, paged.

import { imagesOf, requireRepository, type EcrContext, type ImageRecord } from "./_context.js";
import { byPushTime, findImage, imageNotFound, isImage, matchesTagStatus, type ImageIdentifier } from "./_images.js";
import { page, type PageInput } from "./_paging.js";

export interface DescribeImagesInput extends PageInput {
  registryId?: string;
  repositoryName: string;
  imageIds?: ImageIdentifier[];
  filter?: { tagStatus?: string };
}

export function describeImages(context: EcrContext, input: DescribeImagesInput) {
  const repository = requireRepository(context, input.repositoryName, input.registryId);
  const images = imagesOf(repository);
  let chosen: ImageRecord[];
  if (input.imageIds) {
    chosen = [];
    for (const id of input.imageIds) {
      const found = findImage(images, id);
      if (!isImage(found)) throw imageNotFound(context, input.repositoryName, id);
      if (!chosen.includes(found)) chosen.push(found);
    }
  } else {
    chosen = byPushTime(images).filter((image) => matchesTagStatus(image, input.filter?.tagStatus));
  }
  const { items, nextToken } = page(chosen, input);
  return { imageDetails: items.map((image) => imageDetail(context, input.repositoryName, image)), nextToken };
}

function imageDetail(context: EcrContext, repositoryName: string, image: ImageRecord) {
  return {
    registryId: context.accountId,
    repositoryName,
    imageDigest: image.digest,
    ...(image.tags.length ? { imageTags: image.tags } : {}),
    imageSizeInBytes: image.sizeBytes,
    imagePushedAt: new Date(image.pushedAt),
    imageManifestMediaType: image.mediaType,
    ...(image.artifactMediaType ? { artifactMediaType: image.artifactMediaType } : {}),
  };
}
