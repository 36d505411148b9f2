// DeleteListener: the port stops being served. ListenerNotFound when it is gone.

import { type Elbv2Context, listenerByArn, listenerKind } from "./_context.js";

export function deleteListener(context: Elbv2Context, input: { ListenerArn?: string }): Record<string, never> {
  const found = listenerByArn(context, input.ListenerArn ?? "");
  context.store.delete({ kind: listenerKind, name: found.metadata.name });
  return {};
}
