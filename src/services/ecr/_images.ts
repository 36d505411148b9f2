// Image identifiers as ECR reads them: a digest, a tag, or both (which must agree), and the
// texts ECR gives when one names no image.

import { ecrError, type EcrContext, type ImageRecord } from "./_context.js";

export interface ImageIdentifier {
  imageDigest?: string;
  imageTag?: string;
}

export const digestPattern = /^[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+$/;

/** The image an identifier names, or why it names none (ECR's failure code and reason). */
export function findImage(images: ImageRecord[], id: ImageIdentifier): ImageRecord | { failureCode: string; failureReason: string } {
  if (id.imageDigest === undefined && id.imageTag === undefined) {
    return { failureCode: "MissingDigestAndTag", failureReason: "Invalid request parameters: both tag and digest cannot be null" };
  }
  if (id.imageDigest !== undefined && !digestPattern.test(id.imageDigest)) {
    return { failureCode: "InvalidImageDigest", failureReason: "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'" };
  }
  const byDigest = id.imageDigest === undefined ? undefined : images.find((image) => image.digest === id.imageDigest);
  const byTag = id.imageTag === undefined ? undefined : images.find((image) => image.tags.includes(id.imageTag!));
  if (id.imageDigest !== undefined && id.imageTag !== undefined && byDigest && byTag && byDigest !== byTag) {
    return { failureCode: "ImageTagDoesNotMatchDigest", failureReason: "Invalid request parameters: given tag does not map to the given digest" };
  }
  const found = id.imageDigest !== undefined ? byDigest : byTag;
  if (!found || (id.imageTag !== undefined && !found.tags.includes(id.imageTag))) return { failureCode: "ImageNotFound", failureReason: "Requested image not found" };
  return found;
}

export function isImage(value: ReturnType<typeof findImage>): value is ImageRecord {
  return "digest" in value;
}

export function imageNotFound(context: EcrContext, repositoryName: string, id: ImageIdentifier) {
  const shown = `{imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'}`;
  return ecrError("ImageNotFoundException", `The image with imageId ${shown} does not exist within the repository with name '${repositoryName}' in the registry with id '${context.accountId}'`);
}

/** TagStatus of a list or describe filter. */
export function matchesTagStatus(image: ImageRecord, tagStatus: string | undefined): boolean {
  if (tagStatus === "TAGGED") return image.tags.length > 0;
  if (tagStatus === "UNTAGGED") return image.tags.length === 0;
  return true;
}

/** Newest first, as ECR lists images. */
export function byPushTime(images: ImageRecord[]): ImageRecord[] {
  return [...images].sort((a, b) => b.pushedAt.localeCompare(a.pushedAt) || a.digest.localeCompare(b.digest));
}
