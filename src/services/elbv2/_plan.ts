// An API-made load balancer as the load balancer model's plan (src/domain/loadbalancers), which
// the load balancer controller realizes as it does an Ingress's: each listener with its default
// action, each target group a listener forwards to with its registered targets and checks.

import { parseSuccessCodes, type Listener, type LoadBalancerPlan, type TargetGroup } from "../../domain/loadbalancers/mod.js";
import type { Store } from "../../store/mod.js";
import { listenerKind, type ListenerSpec, loadBalancerKind, type LoadBalancerSpec, type Stored, targetGroupKind, type TargetGroupSpec } from "./_context.js";

function targetGroupPlan(group: Stored<TargetGroupSpec>): TargetGroup {
  const check = group.spec.healthCheck;
  const port = check.port === "traffic-port" ? "traffic-port" : Number(check.port);
  const timing = { intervalSeconds: check.intervalSeconds, timeoutSeconds: check.timeoutSeconds, healthyThreshold: check.healthyThreshold, unhealthyThreshold: check.unhealthyThreshold };
  const healthCheck: TargetGroup["healthCheck"] =
    check.protocol === "TCP"
      ? { protocol: "TCP", port: "traffic-port", ...timing }
      : { protocol: check.protocol, path: check.path ?? "/", port, successCodes: parseSuccessCodes(check.matcher ?? "200"), ...timing };
  return {
    id: group.metadata.name,
    protocol: group.spec.protocol === "TCP" ? "TCP" : "HTTP",
    targets: group.spec.targets.map((target) => ({ ip: target.id, port: target.port })).sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port)),
    healthCheck,
  };
}

/** The plan of the API-made load balancer `name`, or undefined when it is gone. */
export function apiLoadBalancerPlan(store: Store, name: string): LoadBalancerPlan | undefined {
  const balancer = store.get({ kind: loadBalancerKind, name }) as Stored<LoadBalancerSpec> | undefined;
  if (!balancer) return undefined;
  const listeners = (store.list(listenerKind).items as Stored<ListenerSpec>[]).filter((item) => item.spec.loadBalancerArn === balancer.spec.arn);
  const groups = store.list(targetGroupKind).items as Stored<TargetGroupSpec>[];
  const used = new Map<string, TargetGroup>();
  const planned: Listener[] = listeners
    .sort((a, b) => a.spec.port - b.spec.port)
    .map((listener) => {
      const action = listener.spec.defaultActions[0]!;
      const protocol = balancer.spec.type === "application" ? "HTTP" : "TCP";
      if (action.Type === "fixed-response") {
        const config = action.FixedResponseConfig;
        return { protocol, port: listener.spec.port, rules: [], fixedResponse: { statusCode: Number(config.StatusCode), contentType: config.ContentType ?? "text/plain", body: config.MessageBody ?? "" } };
      }
      const group = groups.find((item) => item.spec.arn === action.TargetGroupArn);
      if (group && !used.has(group.metadata.name)) used.set(group.metadata.name, targetGroupPlan(group));
      return { protocol, port: listener.spec.port, rules: [], ...(group ? { defaultTargetGroup: group.metadata.name } : {}) };
    });
  return { name, dnsName: balancer.spec.dnsName, type: balancer.spec.type, scheme: balancer.spec.scheme, listeners: planned, targetGroups: [...used.values()] };
}

/** The API-made load balancers whose plan involves an object of these kinds (for the controller's keys). */
export function apiLoadBalancersUsing(store: Store, object: { kind: string; metadata: { name: string }; spec?: any }): string[] {
  const balancers = store.list(loadBalancerKind).items as Stored<LoadBalancerSpec>[];
  const nameOfArn = (arn: string) => balancers.find((item) => item.spec.arn === arn)?.metadata.name;
  if (object.kind === loadBalancerKind) return [object.metadata.name];
  const listeners = store.list(listenerKind).items as Stored<ListenerSpec>[];
  if (object.kind === listenerKind) return [nameOfArn(object.spec?.loadBalancerArn ?? "") ?? ""].filter(Boolean);
  if (object.kind !== targetGroupKind) return [];
  const using = listeners.filter((item) => item.spec.defaultActions.some((action) => action.Type === "forward" && action.TargetGroupArn === object.spec?.arn));
  return [...new Set(using.map((item) => nameOfArn(item.spec.loadBalancerArn) ?? "").filter(Boolean))];
}
