// CreateListener: HTTP on an ALB, TCP on an NLB, one default action: forward to a target group of
// the load balancer's VPC, or (ALB) a fixed response. A port already taken on that load balancer
// is DuplicateListener. The load balancer controller starts serving the port at once.

import { describeListener } from "./_describe.js";
import { type Action, allOf, arnPrefix, elbApiVersion, elbError, type Elbv2Context, listenerKind, type ListenerSpec, loadBalancerByArn, type Tag, targetGroupByArn, validationError } from "./_context.js";

export interface CreateListenerInput {
  LoadBalancerArn?: string;
  Protocol?: string;
  Port?: number;
  DefaultActions?: any[];
  Tags?: Tag[];
}

export function actionsOf(context: Elbv2Context, actions: any[] | undefined, type: "application" | "network", vpcId: string): Action[] {
  if (!actions?.length) throw validationError("A default action must be specified");
  if (actions.length > 1) throw validationError("Moor listeners take one default action");
  const action = actions[0];
  const forwardArn = action.TargetGroupArn ?? (action.ForwardConfig?.TargetGroups?.length === 1 ? action.ForwardConfig.TargetGroups[0].TargetGroupArn : undefined);
  if (action.Type === "forward") {
    if (!forwardArn) throw validationError("A target group ARN must be specified for a forward action");
    const group = targetGroupByArn(context, forwardArn);
    if (group.spec.vpcId !== vpcId) throw elbError("Invalid", "ValidationError", `Target group '${forwardArn}' is not in the load balancer's VPC`);
    if ((type === "application") !== (group.spec.protocol !== "TCP")) {
      throw elbError("Invalid", "IncompatibleProtocols", `The protocol of the target group '${forwardArn}' is incompatible with the load balancer`);
    }
    return [{ Type: "forward", TargetGroupArn: forwardArn }];
  }
  if (action.Type === "fixed-response" && type === "application") {
    const config = action.FixedResponseConfig ?? {};
    if (!/^[2-5]\d\d$/.test(String(config.StatusCode ?? ""))) throw validationError("Fixed response status code must be a 2XX, 4XX, or 5XX code");
    return [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: String(config.StatusCode), ...(config.ContentType ? { ContentType: config.ContentType } : {}), ...(config.MessageBody !== undefined ? { MessageBody: config.MessageBody } : {}) } }];
  }
  throw elbError("Unsupported", "UnsupportedProtocol", `Action type '${action.Type}' is not supported`);
}

export function createListener(context: Elbv2Context, input: CreateListenerInput) {
  const balancer = loadBalancerByArn(context, input.LoadBalancerArn ?? "");
  const type = balancer.spec.type;
  const protocol = input.Protocol ?? (type === "application" ? "HTTP" : "TCP");
  if (type === "application" && protocol !== "HTTP") throw elbError("Unsupported", "UnsupportedProtocol", `Protocol '${protocol}' is not supported: Moor has no certificates yet`);
  if (type === "network" && protocol !== "TCP") throw elbError("Unsupported", "UnsupportedProtocol", `Protocol '${protocol}' is not supported on a network load balancer in Moor`);
  const port = input.Port;
  if (port === undefined || !(port >= 1 && port <= 65535)) throw validationError("A listener port must be specified");
  const listeners = allOf<ListenerSpec>(context, listenerKind).filter((item) => item.spec.loadBalancerArn === balancer.spec.arn);
  if (listeners.some((item) => item.spec.port === port)) throw elbError("AlreadyExists", "DuplicateListener", "A listener already exists on this port for this load balancer");
  const defaultActions = actionsOf(context, input.DefaultActions, type, balancer.spec.vpcId);
  const lbPath = balancer.spec.arn.split(":loadbalancer/")[1];
  const id = context.randomHex();
  const spec: ListenerSpec = { arn: `${arnPrefix(context)}listener/${lbPath}/${id}`, loadBalancerArn: balancer.spec.arn, port, protocol: protocol as ListenerSpec["protocol"], defaultActions, tags: input.Tags ?? [] };
  context.store.create({ apiVersion: elbApiVersion, kind: listenerKind, metadata: { name: id }, spec });
  return { Listeners: [describeListener(spec)] };
}
