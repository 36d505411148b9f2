// DeleteRepository: refused while the repository holds images unless `force`; the answer is the
// repository as it was. Its blobs stay in the registry's store until nothing refers to them.

import type { OperationInput } from "./_operation.js";
import { describeRepository, ecrError, imagesOf, repositoryKind, requireRepository, type EcrContext } from "./_context.js";

export interface DeleteRepositoryInput {
  registryId?: string;
  repositoryName: string;
  force?: boolean;
}

export function deleteRepository(context: EcrContext, input: DeleteRepositoryInput, { region }: OperationInput) {
  return context.store.transaction(() => {
    const repository = requireRepository(context, input.repositoryName, input.registryId);
    if (imagesOf(repository).length > 0 && !input.force) {
      throw ecrError("RepositoryNotEmptyException", `The repository with name '${input.repositoryName}' in registry with id '${context.accountId}' cannot be deleted because it still contains images`);
    }
    context.store.delete({ kind: repositoryKind, name: input.repositoryName });
    return { repository: describeRepository(repository, region) };
  });
}
