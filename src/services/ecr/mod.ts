// The ECR service: repositories, their images and settings, authorization tokens, and the
// rules the registry (src/frontends/registry) applies to pushes and pulls. `operations` is the
// ECR API by the model's operation names (input and output in its member names, errors with
// ECR's codes); `registry` is what the registry's protocol asks of the same objects, so a
// repository deleted through the API is gone for `docker pull` at once, and an image pushed is
// listed by DescribeImages at once.
//
// Moor plays one account: the repository URI is "<account>.dkr.ecr.<region>.amazonaws.com/<name>"
// in whatever region the request was signed for; the same repositories answer in every region.

import type { Store } from "../../store/mod.js";
import type { EcrContext } from "./_context.js";
import type { OperationInput } from "./_operation.js";
import { batchDeleteImage } from "./batch-delete-image.js";
import { createRepository, repositoryNameRefusal } from "./create-repository.js";
import { deleteRepository } from "./delete-repository.js";
import { describeImages } from "./describe-images.js";
import { describeRepositories } from "./describe-repositories.js";
import { getAuthorizationToken, issuePassword } from "./get-authorization-token.js";
import { listImages } from "./list-images.js";
import { listTagsForResource } from "./list-tags-for-resource.js";
import { putImageScanningConfiguration } from "./put-image-scanning-configuration.js";
import { putImageTagMutability } from "./put-image-tag-mutability.js";
import { createRegistryRules, type RegistryRules } from "./_registry.js";
import { tagResource } from "./tag-resource.js";
import { untagResource } from "./untag-resource.js";

export { registryHost, repositoryKind, type ImageRecord } from "./_context.js";
export { registryError, type PushedManifest, type RegistryErrorCode, type RegistryRules } from "./_registry.js";
export { tokenLifetimeMs } from "./get-authorization-token.js";

export type EcrOperation = (input: any, context: OperationInput) => unknown;

export interface EcrService {
  readonly name: "ecr";
  readonly operations: Record<string, EcrOperation>;
  /** ECR answers a repository name its pattern refuses with InvalidParameterException, not the model's ValidationException. */
  refuse(refusal: { code: string; message: string }): Error | undefined;
  readonly registry: RegistryRules;
  /** A registry password as GetAuthorizationToken issues it (for Moor's own pulls and pushes). */
  password(): string;
}

/** A registry password as GetAuthorizationToken issues it, for Moor's own commands (`moor image push`). */
export function registryPassword(accountId: string, tokenSecret: string, now = new Date()): string {
  return issuePassword({ accountId, tokenSecret, now: () => now } as EcrContext).password;
}

/** The account and region of an ECR registry host name, or undefined for another host. */
export function parseRegistryHost(host: string): { accountId: string; region: string } | undefined {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host);
  return match ? { accountId: match[1]!, region: match[2]! } : undefined;
}

export interface EcrServiceOptions {
  store: Store;
  accountId: string;
  /** The secret registry passwords are signed with. */
  tokenSecret: string;
  now?: () => Date;
}

export function createEcrService(options: EcrServiceOptions): EcrService {
  const context: EcrContext = { store: options.store, accountId: options.accountId, tokenSecret: options.tokenSecret, now: options.now ?? (() => new Date()) };
  const on =
    <I, O>(operation: (context: EcrContext, input: I, request: OperationInput) => O) =>
    (input: I, request: OperationInput) =>
      operation(context, input, request);
  return {
    name: "ecr",
    operations: {
      CreateRepository: on(createRepository),
      DescribeRepositories: on(describeRepositories),
      DeleteRepository: on(deleteRepository),
      DescribeImages: on(describeImages),
      ListImages: on(listImages),
      BatchDeleteImage: on(batchDeleteImage),
      GetAuthorizationToken: on(getAuthorizationToken),
      PutImageTagMutability: on(putImageTagMutability),
      PutImageScanningConfiguration: on(putImageScanningConfiguration),
      ListTagsForResource: on(listTagsForResource),
      TagResource: on(tagResource),
      UntagResource: on(untagResource),
    },
    refuse: (refusal) => (/^1 validation error detected: Value '.*' at 'repositoryName' failed to satisfy constraint: Member must (satisfy regular expression pattern|have length)/.test(refusal.message) ? repositoryNameRefusal() : undefined),
    registry: createRegistryRules(context),
    password: () => issuePassword(context).password,
  };
}
