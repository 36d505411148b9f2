// BatchDeleteImage: by digest, the image and all its tags go; by tag, the tag goes, and the
// image with its last tag. Identifiers that name nothing come back in `failures` with ECR's
// codes and reasons; the call itself fails only for a missing repository.

import { imagesOf, requireRepository, writeImages, type EcrContext, type ImageRecord } from "./_context.js";
import { findImage, isImage, type ImageIdentifier } from "./_images.js";

export interface BatchDeleteImageInput {
  registryId?: string;
  repositoryName: string;
  imageIds: ImageIdentifier[];
}

export function batchDeleteImage(context: EcrContext, input: BatchDeleteImageInput) {
  return context.store.transaction(() => {
    const repository = requireRepository(context, input.repositoryName, input.registryId);
    let images: ImageRecord[] = imagesOf(repository).map((image) => ({ ...image, tags: [...image.tags] }));
    const deleted: ImageIdentifier[] = [];
    const failures: { imageId: ImageIdentifier; failureCode: string; failureReason: string }[] = [];
    for (const id of input.imageIds) {
      const found = findImage(images, id);
      if (!isImage(found)) {
        failures.push({ imageId: id, ...found });
        continue;
      }
      if (id.imageDigest === undefined) {
        found.tags = found.tags.filter((tag) => tag !== id.imageTag);
        deleted.push({ imageDigest: found.digest, imageTag: id.imageTag! });
        if (found.tags.length === 0) images = images.filter((image) => image !== found);
        continue;
      }
      images = images.filter((image) => image !== found);
      if (found.tags.length === 0) deleted.push({ imageDigest: found.digest });
      for (const imageTag of found.tags) deleted.push({ imageDigest: found.digest, imageTag });
    }
    if (deleted.length > 0) writeImages(context, repository, images);
    return { imageIds: deleted, failures };
  });
}
