// ModifyListener: a new port or default action; the protocol stays what the load balancer takes.

import { describeListener } from "./_describe.js";
import { allOf, elbError, type Elbv2Context, listenerByArn, listenerKind, type ListenerSpec, loadBalancerByArn } from "./_context.js";
import { actionsOf } from "./create-listener.js";

export function modifyListener(context: Elbv2Context, input: { ListenerArn?: string; Port?: number; Protocol?: string; DefaultActions?: any[] }) {
  const found = listenerByArn(context, input.ListenerArn ?? "");
  const balancer = loadBalancerByArn(context, found.spec.loadBalancerArn);
  if (input.Protocol !== undefined && input.Protocol !== found.spec.protocol) throw elbError("Unsupported", "UnsupportedProtocol", `Protocol '${input.Protocol}' is not supported here`);
  const port = input.Port ?? found.spec.port;
  const others = allOf<ListenerSpec>(context, listenerKind).filter((item) => item.spec.loadBalancerArn === balancer.spec.arn && item.metadata.name !== found.metadata.name);
  if (others.some((item) => item.spec.port === port)) throw elbError("AlreadyExists", "DuplicateListener", "A listener already exists on this port for this load balancer");
  const defaultActions = input.DefaultActions ? actionsOf(context, input.DefaultActions, balancer.spec.type, balancer.spec.vpcId) : found.spec.defaultActions;
  const updated = context.store.update({ ...found, spec: { ...found.spec, port, defaultActions } });
  return { Listeners: [describeListener(updated.spec as ListenerSpec)] };
}
