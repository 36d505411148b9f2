// DescribeNodegroup and ListNodegroups: the node groups as stored.

import { notFound } from "../../errors/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type EksContext, nodeGroupKind } from "./_context.js";

export function describeNodeGroup(context: EksContext, name: string): StoredObject {
  const group = context.store.get({ kind: nodeGroupKind, name });
  if (!group) throw notFound(`Cannot describe node group ${JSON.stringify(name)}: it does not exist`);
  return group;
}

export function listNodeGroups(context: EksContext): StoredObject[] {
  return context.store.list(nodeGroupKind).items;
}
