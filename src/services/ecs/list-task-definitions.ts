// ListTaskDefinitions (ARNs, by family and status, oldest first unless sort DESC) and
// ListTaskDefinitionFamilies (families with an ACTIVE revision, or with none for INACTIVE).

import { type CallContext, type EcsContext, page, taskDefinitionKind } from "./_context.js";

export interface ListTaskDefinitionsInput {
  familyPrefix?: string;
  status?: "ACTIVE" | "INACTIVE" | "DELETE_IN_PROGRESS";
  sort?: "ASC" | "DESC";
  nextToken?: string;
  maxResults?: number;
}

function allRevisions(context: EcsContext) {
  return context.store
    .list(taskDefinitionKind)
    .items.map((definition) => ({ family: String(definition.spec?.family), revision: Number(definition.spec?.revision), arn: String(definition.spec?.taskDefinitionArn), status: String(definition.status?.status ?? "ACTIVE") }))
    .sort((a, b) => (a.family === b.family ? a.revision - b.revision : a.family < b.family ? -1 : 1));
}

export function listTaskDefinitions(context: EcsContext, input: ListTaskDefinitionsInput, _call?: CallContext) {
  const status = input.status ?? "ACTIVE";
  // ECS's familyPrefix names a whole family here, despite its name.
  const chosen = allRevisions(context).filter((entry) => entry.status === status && (input.familyPrefix === undefined || entry.family === input.familyPrefix));
  if (input.sort === "DESC") chosen.reverse();
  const { items, nextToken } = page(chosen.map((entry) => entry.arn), input);
  return { taskDefinitionArns: items, nextToken };
}

export function listTaskDefinitionFamilies(context: EcsContext, input: { familyPrefix?: string; status?: string; nextToken?: string; maxResults?: number }, _call?: CallContext) {
  const revisions = allRevisions(context);
  const families = [...new Set(revisions.map((entry) => entry.family))].filter((family) => family.startsWith(input.familyPrefix ?? ""));
  const active = (family: string) => revisions.some((entry) => entry.family === family && entry.status === "ACTIVE");
  const status = input.status ?? "ACTIVE";
  const chosen = status === "ALL" ? families : families.filter((family) => active(family) === (status === "ACTIVE"));
  const { items, nextToken } = page(chosen, input);
  return { families: items, nextToken };
}
