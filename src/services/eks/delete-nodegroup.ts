// DeleteNodegroup: the group goes at once; the profile controller removes its nodes.

import { notFound } from "../../errors/mod.js";
import { type EksContext, nodeGroupKind } from "./_context.js";

export function deleteNodeGroup(context: EksContext, name: string): void {
  const { store } = context;
  store.transaction(() => {
    if (!store.get({ kind: nodeGroupKind, name })) throw notFound(`Cannot delete node group ${JSON.stringify(name)}: it does not exist`);
    store.delete({ kind: nodeGroupKind, name });
  });
}
