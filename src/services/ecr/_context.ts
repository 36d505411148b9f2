// What every ECR operation works with, and how ECR's objects live in the store: one
// EcrRepository object per repository (cluster-scoped, named by the repository name), its
// settings in `spec` and its images (manifest digests with their tags) in `status.images`, so a
// push's tag check and a delete's image check are one optimistic write on one object.

import { MoorError, type ErrorCategory } from "../../errors/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";

export interface EcrContext {
  store: Store;
  accountId: string;
  /** Signs and checks registry passwords (GetAuthorizationToken). */
  tokenSecret: string;
  now(): Date;
}

export const repositoryKind = "EcrRepository";
export const ecrApiVersion = "ecr.moor.dev/v1";

export interface EcrTag {
  Key: string;
  Value?: string;
}

export interface RepositorySpec {
  registryId: string;
  imageTagMutability: string;
  scanOnPush: boolean;
  encryptionType: string;
  kmsKey?: string;
  tags: EcrTag[];
  createdAt: string;
}

/** One manifest in a repository: what DescribeImages shows and the registry serves. */
export interface ImageRecord {
  digest: string;
  tags: string[];
  sizeBytes: number;
  pushedAt: string;
  mediaType: string;
  artifactMediaType?: string;
}

export type RepositoryObject = StoredObject<RepositorySpec, { images?: ImageRecord[] }>;

export type EcrErrorCode =
  | "InvalidParameterException"
  | "RepositoryAlreadyExistsException"
  | "RepositoryNotFoundException"
  | "RepositoryNotEmptyException"
  | "ImageNotFoundException"
  | "InvalidTagParameterException"
  | "TooManyTagsException"
  | "LimitExceededException";

const categoryOf: Record<EcrErrorCode, ErrorCategory> = {
  InvalidParameterException: "Invalid",
  RepositoryAlreadyExistsException: "AlreadyExists",
  RepositoryNotFoundException: "NotFound",
  RepositoryNotEmptyException: "Conflict",
  ImageNotFoundException: "NotFound",
  InvalidTagParameterException: "Invalid",
  TooManyTagsException: "LimitExceeded",
  LimitExceededException: "LimitExceeded",
};

export function ecrError(code: EcrErrorCode, message: string): MoorError {
  return new MoorError(categoryOf[code], message, { code, subject: { kind: repositoryKind } });
}

export function repositoryNotFound(context: EcrContext, name: string): MoorError {
  return ecrError("RepositoryNotFoundException", `The repository with name '${name}' does not exist in the registry with id '${context.accountId}'`);
}

export function getRepository(context: EcrContext, name: string): RepositoryObject | undefined {
  return context.store.get({ kind: repositoryKind, name }) as RepositoryObject | undefined;
}

export function requireRepository(context: EcrContext, name: string, registryId?: string): RepositoryObject {
  checkRegistryId(context, registryId);
  const repository = getRepository(context, name);
  if (!repository) throw repositoryNotFound(context, name);
  return repository;
}

/** Moor plays one account: another registry id is a repository that cannot exist here. */
export function checkRegistryId(context: EcrContext, registryId: string | undefined): void {
  if (registryId !== undefined && registryId !== context.accountId) {
    throw ecrError("InvalidParameterException", `Invalid parameter at 'registryId' failed to satisfy constraint: 'must be the id of this account's registry '${context.accountId}''`);
  }
}

/** The registry's host name: "<account>.dkr.ecr.<region>.amazonaws.com". */
export function registryHost(accountId: string, region: string): string {
  return `${accountId}.dkr.ecr.${region}.amazonaws.com`;
}

export function repositoryArn(region: string, accountId: string, name: string): string {
  return `arn:aws:ecr:${region}:${accountId}:repository/${name}`;
}

/** The Repository shape of ECR's model. */
export function describeRepository(repository: RepositoryObject, region: string) {
  const spec = repository.spec!;
  const name = repository.metadata.name;
  return {
    repositoryArn: repositoryArn(region, spec.registryId, name),
    registryId: spec.registryId,
    repositoryName: name,
    repositoryUri: `${registryHost(spec.registryId, region)}/${name}`,
    createdAt: new Date(spec.createdAt),
    imageTagMutability: spec.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: spec.scanOnPush },
    encryptionConfiguration: { encryptionType: spec.encryptionType, ...(spec.kmsKey ? { kmsKey: spec.kmsKey } : {}) },
  };
}

export function imagesOf(repository: RepositoryObject): ImageRecord[] {
  return repository.status?.images ?? [];
}

/** Writes the repository with new images; a concurrent write makes this a Conflict to retry. */
export function writeImages(context: EcrContext, repository: RepositoryObject, images: ImageRecord[]): RepositoryObject {
  const next = { ...repository, status: { ...repository.status, images } };
  return context.store.update(next, { expectedRevision: repository.metadata.resourceVersion }) as RepositoryObject;
}
