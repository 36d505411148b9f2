// ECR's rules for the registry's own protocol (OCI distribution, served by
// src/frontends/registry): who may push and pull (an ECR token as Basic credentials, user
// "AWS"), which repositories exist (a push or pull elsewhere is NAME_UNKNOWN with ECR's text),
// which manifest a tag names, and tag immutability (an existing tag of an IMMUTABLE
// repository is TAG_INVALID, even for the same manifest, as ECR answers). Errors carry the
// distribution error codes; the front end renders them.

import { MoorError, type ErrorCategory } from "../../errors/mod.js";
import { getRepository, imagesOf, writeImages, type EcrContext, type ImageRecord, type RepositoryObject } from "./_context.js";
import { passwordProblem } from "./get-authorization-token.js";

export type RegistryErrorCode = "UNAUTHORIZED" | "DENIED" | "NAME_UNKNOWN" | "MANIFEST_UNKNOWN" | "TAG_INVALID";

const categoryOf: Record<RegistryErrorCode, ErrorCategory> = {
  UNAUTHORIZED: "Forbidden",
  DENIED: "Forbidden",
  NAME_UNKNOWN: "NotFound",
  MANIFEST_UNKNOWN: "NotFound",
  TAG_INVALID: "Conflict",
};

export function registryError(code: RegistryErrorCode, message: string): MoorError {
  return new MoorError(categoryOf[code], message, { code });
}

/** What a pushed manifest is, as DescribeImages reports it. */
export interface PushedManifest {
  digest: string;
  mediaType: string;
  sizeBytes: number;
  artifactMediaType?: string;
}

/** The operations the registry front end calls, each holding one of ECR's rules. */
export interface RegistryRules {
  /** Checks an Authorization header; throws UNAUTHORIZED with the reason. */
  authenticate(authorization: string | undefined): void;
  /** The repository, or NAME_UNKNOWN. */
  requireRepository(name: string): void;
  /** The manifest a tag or digest names in the repository, or MANIFEST_UNKNOWN. */
  resolve(name: string, reference: string): ImageRecord;
  /** Records a pushed manifest under a tag (or untagged, when `reference` is its digest). */
  recordManifest(name: string, reference: string, manifest: PushedManifest): void;
  /** Removes a manifest (by digest) from the repository. */
  deleteManifest(name: string, digest: string): void;
  tags(name: string): string[];
}

export function createRegistryRules(context: EcrContext): RegistryRules {
  const repository = (name: string) => {
    const found = getRepository(context, name);
    if (!found) throw registryError("NAME_UNKNOWN", `The repository with name '${name}' does not exist in the registry with id '${context.accountId}'`);
    return found;
  };
  return {
    authenticate(authorization) {
      const match = /^Basic\s+(.+)$/i.exec(authorization ?? "");
      if (!match) throw registryError("UNAUTHORIZED", "Not Authorized");
      const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const problem = colon < 0 ? "the credentials are not user:password" : passwordProblem(context, decoded.slice(0, colon), decoded.slice(colon + 1));
      if (problem) throw registryError("UNAUTHORIZED", problem);
    },
    requireRepository: (name) => void repository(name),
    resolve(name, reference) {
      const images = imagesOf(repository(name));
      const found = reference.includes(":") ? images.find((image) => image.digest === reference) : images.find((image) => image.tags.includes(reference));
      if (!found) throw registryError("MANIFEST_UNKNOWN", `Requested image not found`);
      return found;
    },
    recordManifest: (name, reference, manifest) => recordManifest(context, repository(name), reference, manifest),
    deleteManifest(name, digest) {
      context.store.transaction(() => {
        const current = repository(name);
        const images = imagesOf(current);
        if (!images.some((image) => image.digest === digest)) throw registryError("MANIFEST_UNKNOWN", "Requested image not found");
        writeImages(context, current, images.filter((image) => image.digest !== digest));
      });
    },
    tags: (name) => imagesOf(repository(name)).flatMap((image) => image.tags).sort(),
  };
}

function recordManifest(context: EcrContext, current: RepositoryObject, reference: string, manifest: PushedManifest): void {
  const name = current.metadata.name;
  const tag = reference.includes(":") ? undefined : reference;
  context.store.transaction(() => {
    const fresh = getRepository(context, name) ?? current;
    const images = imagesOf(fresh).map((image) => ({ ...image, tags: [...image.tags] }));
    if (tag !== undefined && fresh.spec!.imageTagMutability === "IMMUTABLE" && images.some((image) => image.tags.includes(tag))) {
      throw registryError("TAG_INVALID", `The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the repository is immutable.`);
    }
    if (tag !== undefined) for (const image of images) image.tags = image.tags.filter((candidate) => candidate !== tag);
    let record = images.find((image) => image.digest === manifest.digest);
    if (!record) {
      record = { digest: manifest.digest, tags: [], sizeBytes: manifest.sizeBytes, pushedAt: context.now().toISOString(), mediaType: manifest.mediaType, ...(manifest.artifactMediaType ? { artifactMediaType: manifest.artifactMediaType } : {}) };
      images.push(record);
    }
    if (tag !== undefined) record.tags.push(tag);
    writeImages(context, fresh, images);
  });
}
