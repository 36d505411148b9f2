// DescribeRepositories: every repository by name order, or the named ones (the first missing
// name is RepositoryNotFoundException), paged by maxResults and nextToken.

import type { OperationInput } from "./_operation.js";
import { checkRegistryId, describeRepository, repositoryKind, requireRepository, type EcrContext, type RepositoryObject } from "./_context.js";
import { page, type PageInput } from "./_paging.js";

export interface DescribeRepositoriesInput extends PageInput {
  registryId?: string;
  repositoryNames?: string[];
}

export function describeRepositories(context: EcrContext, input: DescribeRepositoriesInput, { region }: OperationInput) {
  checkRegistryId(context, input.registryId);
  const repositories = input.repositoryNames
    ? input.repositoryNames.map((name) => requireRepository(context, name))
    : (context.store.list(repositoryKind).items as RepositoryObject[]).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const { items, nextToken } = page(repositories, input);
  return { repositories: items.map((repository) => describeRepository(repository, region)), nextToken };
}
