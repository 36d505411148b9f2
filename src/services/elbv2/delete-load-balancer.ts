// DeleteLoadBalancer: the load balancer and its listeners go (the proxy stops serving it and its
// name leaves DNS); its target groups stay, as on AWS. Deleting one that is gone succeeds.

import { allOf, type Elbv2Context, listenerKind, type ListenerSpec, loadBalancerKind, type LoadBalancerSpec } from "./_context.js";

export function deleteLoadBalancer(context: Elbv2Context, input: { LoadBalancerArn?: string }): Record<string, never> {
  const found = allOf<LoadBalancerSpec>(context, loadBalancerKind).find((item) => item.spec.arn === input.LoadBalancerArn);
  if (!found) return {};
  context.store.transaction(() => {
    for (const listener of allOf<ListenerSpec>(context, listenerKind)) {
      if (listener.spec.loadBalancerArn === found.spec.arn) context.store.delete({ kind: listenerKind, name: listener.metadata.name });
    }
    context.store.delete({ kind: loadBalancerKind, name: found.metadata.name });
  });
  return {};
}
