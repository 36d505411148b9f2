// CreateRepository: ECR's name rule (lower-case components joined by "/", each of letters and
// digits separated by ".", "_", "__" or dashes; 2-256 characters), refused with ECR's own
// InvalidParameterException text; a name taken is RepositoryAlreadyExistsException.

import type { OperationInput } from "./_operation.js";
import { checkRegistryId, describeRepository, ecrApiVersion, ecrError, getRepository, repositoryKind, type EcrContext, type EcrTag, type RepositoryObject } from "./_context.js";
import { checkTags } from "./_tags.js";

export interface CreateRepositoryInput {
  registryId?: string;
  repositoryName: string;
  tags?: EcrTag[];
  imageTagMutability?: string;
  imageScanningConfiguration?: { scanOnPush?: boolean };
  encryptionConfiguration?: { encryptionType: string; kmsKey?: string };
}

/** The regular expression ECR quotes when it refuses a name. */
const quotedNamePattern = "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*";
const namePattern = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;

export function repositoryNameRefusal() {
  return ecrError("InvalidParameterException", `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '${quotedNamePattern}''`);
}

export function checkRepositoryName(name: string): void {
  if (!namePattern.test(name) || name.length < 2 || name.length > 256) throw repositoryNameRefusal();
}

export function createRepository(context: EcrContext, input: CreateRepositoryInput, { region }: OperationInput) {
  checkRegistryId(context, input.registryId);
  const name = input.repositoryName;
  checkRepositoryName(name);
  const tags = checkTags(input.tags ?? []);
  const mutability = input.imageTagMutability ?? "MUTABLE";
  if (mutability !== "MUTABLE" && mutability !== "IMMUTABLE") {
    throw ecrError("InvalidParameterException", `Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Moor supports MUTABLE and IMMUTABLE, not ${mutability}'`);
  }
  if (getRepository(context, name)) {
    throw ecrError("RepositoryAlreadyExistsException", `The repository with name '${name}' already exists in the registry with id '${context.accountId}'`);
  }
  const repository: RepositoryObject = {
    apiVersion: ecrApiVersion,
    kind: repositoryKind,
    metadata: { name },
    spec: {
      registryId: context.accountId,
      imageTagMutability: mutability,
      scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false,
      encryptionType: input.encryptionConfiguration?.encryptionType ?? "AES256",
      ...(input.encryptionConfiguration?.kmsKey ? { kmsKey: input.encryptionConfiguration.kmsKey } : {}),
      tags,
      createdAt: context.now().toISOString(),
    },
    status: { images: [] },
  };
  const created = context.store.create(repository) as RepositoryObject;
  return { repository: describeRepository(created, region) };
}
