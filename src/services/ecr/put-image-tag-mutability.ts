// PutImageTagMutability: MUTABLE or IMMUTABLE; from then on a push of an existing tag is
// refused by the registry (existing tags stay as they are).

import { ecrError, requireRepository, type EcrContext } from "./_context.js";

export interface PutImageTagMutabilityInput {
  registryId?: string;
  repositoryName: string;
  imageTagMutability: string;
}

export function putImageTagMutability(context: EcrContext, input: PutImageTagMutabilityInput) {
  const repository = requireRepository(context, input.repositoryName, input.registryId);
  if (input.imageTagMutability !== "MUTABLE" && input.imageTagMutability !== "IMMUTABLE") {
    throw ecrError("InvalidParameterException", `Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Moor supports MUTABLE and IMMUTABLE, not ${input.imageTagMutability}'`);
  }
  context.store.update({ ...repository, spec: { ...repository.spec!, imageTagMutability: input.imageTagMutability } }, { expectedRevision: repository.metadata.resourceVersion });
  return { registryId: context.accountId, repositoryName: input.repositoryName, imageTagMutability: input.imageTagMutability };
}
