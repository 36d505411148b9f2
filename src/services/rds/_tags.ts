// ListTagsForResource, AddTagsToResource and RemoveTagsFromResource on DB instances and subnet
// groups, by ARN (`arn:aws:rds:<region>:<account>:db:<id>` or `…:subgrp:<name>`).

import { dbInstanceKind, dbSubnetGroupKind } from "../../domain/rds/mod.js";
import { mergeTags, type RdsContext, rdsError, type Tag } from "./_context.js";

function objectOf(context: RdsContext, arn: string) {
  const match = /^arn:aws[a-z-]*:rds:[^:]*:[^:]*:(db|subgrp):(.+)$/.exec(arn);
  const kind = match?.[1] === "db" ? dbInstanceKind : dbSubnetGroupKind;
  const found = match ? context.store.get({ kind, name: match[2]!.toLowerCase() }) : undefined;
  if (!found) {
    if (match?.[1] === "subgrp") throw rdsError("NotFound", "DBSubnetGroupNotFoundFault", `DBSubnetGroup ${match[2]} not found.`);
    throw rdsError("NotFound", "DBInstanceNotFound", `DBInstance ${match?.[2] ?? arn} not found.`);
  }
  return found;
}

export function listTagsForResource(context: RdsContext, input: { ResourceName: string }) {
  return { TagList: (objectOf(context, input.ResourceName).spec.tags ?? []) as Tag[] };
}

export function addTagsToResource(context: RdsContext, input: { ResourceName: string; Tags: Tag[] }): void {
  const found = objectOf(context, input.ResourceName);
  context.store.update({ ...found, spec: { ...found.spec, tags: mergeTags(found.spec.tags ?? [], input.Tags) } });
}

export function removeTagsFromResource(context: RdsContext, input: { ResourceName: string; TagKeys: string[] }): void {
  const found = objectOf(context, input.ResourceName);
  const removed = new Set(input.TagKeys);
  context.store.update({ ...found, spec: { ...found.spec, tags: ((found.spec.tags ?? []) as Tag[]).filter((tag) => !removed.has(tag.Key)) } });
}
