// What the LBC would build for one Ingress or one LoadBalancer Service: the load balancer, its
// listeners and rules, and one target group per backend (Service and port) with the ready pod
// addresses as IP targets. A model that cannot be built fails with the LBC's own event text.

import { isMoorError } from "../../errors/mod.js";
import { healthCheck, ingressSettings, type HealthCheck } from "./_annotations.js";
import { applicationDnsName, ingressLoadBalancerName, networkDnsName, serviceLoadBalancerName, type Scheme, type Sha256Hex } from "./_names.js";
import { hostPattern, pathPattern, type PathType } from "./_rules.js";

export interface ServiceView {
  name: string;
  namespace: string;
  uid: string;
  type: string;
  annotations: Record<string, string>;
  ports: { name?: string; port: number; nodePort?: number; protocol?: string }[];
}

export interface EndpointsView {
  subsets?: { addresses?: { ip: string }[]; ports?: { name?: string; port: number }[] }[];
}

export interface Target {
  ip: string;
  port: number;
}

export interface TargetGroup {
  /** Unique within the load balancer: `<namespace>-<service>-<port>`. */
  id: string;
  protocol: "HTTP" | "TCP";
  targets: Target[];
  healthCheck: HealthCheck | { protocol: "TCP"; port: "traffic-port"; intervalSeconds: number; timeoutSeconds: number; healthyThreshold: number; unhealthyThreshold: number };
  /** ELBv2's HealthCheckEnabled: false leaves every target taken as healthy, never checked. */
  healthCheckEnabled?: boolean;
}

export interface ListenerRule {
  host?: string;
  path: string;
  pathType: PathType;
  hostPattern?: string;
  pathPattern: string;
  targetGroup: string;
}

export interface Listener {
  protocol: "HTTP" | "TCP";
  port: number;
  rules: ListenerRule[];
  /** None: the LBC's fixed 404 answer, or `fixedResponse`. */
  defaultTargetGroup?: string;
  /** A listener's fixed-response default action (ELBv2's FixedResponseConfig). */
  fixedResponse?: { statusCode: number; contentType: string; body: string };
}

export interface LoadBalancerPlan {
  name: string;
  dnsName: string;
  type: "application" | "network";
  scheme: Scheme;
  listeners: Listener[];
  targetGroups: TargetGroup[];
}

export type PlanResult = { plan: LoadBalancerPlan; warnings: string[] } | { failure: string };

export interface Cluster {
  name: string;
  region: string;
  sha256: Sha256Hex;
}

export interface IngressView {
  namespace: string;
  name: string;
  annotations: Record<string, string>;
  spec: any;
}

interface BackendReference {
  service: { name: string; port: { number?: number; name?: string } };
}

/** The ports of the ready addresses of one Service port, from its Endpoints. */
function targetsOf(endpoints: EndpointsView | undefined, servicePort: ServiceView["ports"][number]): Target[] {
  const targets: Target[] = [];
  for (const subset of endpoints?.subsets ?? []) {
    const port = (subset.ports ?? []).find((item) => (item.name ?? "") === (servicePort.name ?? "")) ?? (subset.ports?.length === 1 && !servicePort.name ? subset.ports[0] : undefined);
    if (!port) continue;
    for (const address of subset.addresses ?? []) targets.push({ ip: address.ip, port: port.port });
  }
  return targets.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port));
}

class BuildFailure extends Error {}

function targetGroupFor(input: IngressPlanInput, backend: BackendReference, groups: Map<string, TargetGroup>, targetType: string): string {
  const { namespace } = input.ingress;
  const service = input.services.get(backend.service?.name);
  if (!service) throw new BuildFailure(`Service "${backend.service?.name}" not found`);
  const wanted = backend.service.port ?? {};
  const port = service.ports.find((item) => (wanted.number !== undefined ? item.port === wanted.number : item.name === wanted.name));
  if (!port) throw new BuildFailure(`unable to find port ${wanted.number ?? wanted.name} on service ${namespace}/${service.name}`);
  if (targetType === "instance" && service.type !== "NodePort" && service.type !== "LoadBalancer") {
    throw new BuildFailure("TargetGroup port is empty. When using Instance targets, your service be must of type 'NodePort' or 'LoadBalancer'");
  }
  const id = `${namespace}-${service.name}-${port.port}`;
  if (!groups.has(id)) {
    // Instance targets are EC2 instances behind a NodePort; Fargate pods are none, so none register.
    const targets = targetType === "ip" ? targetsOf(input.endpoints.get(service.name), port) : [];
    groups.set(id, { id, protocol: "HTTP", targets, healthCheck: healthCheck(input.ingress.annotations, service.annotations) });
  }
  return id;
}

export interface IngressPlanInput {
  cluster: Cluster;
  ingress: IngressView;
  services: ReadonlyMap<string, ServiceView>;
  endpoints: ReadonlyMap<string, EndpointsView>;
}

function buildIngress(input: IngressPlanInput): { plan: LoadBalancerPlan; warnings: string[] } {
  const { cluster, ingress } = input;
  const settings = ingressSettings(ingress.annotations);
  const groups = new Map<string, TargetGroup>();
  const rules: ListenerRule[] = [];
  for (const rule of ingress.spec?.rules ?? []) {
    for (const path of rule.http?.paths ?? []) {
      const pathType: PathType = path.pathType ?? "ImplementationSpecific";
      const targetGroup = targetGroupFor(input, path.backend, groups, settings.targetType);
      rules.push({
        ...(rule.host ? { host: rule.host, hostPattern: hostPattern(rule.host) } : {}),
        path: path.path ?? "",
        pathType,
        pathPattern: pathPattern(path.path ?? "", pathType),
        targetGroup,
      });
    }
  }
  const fallback = ingress.spec?.defaultBackend;
  const defaultTargetGroup = fallback?.service ? targetGroupFor(input, fallback, groups, settings.targetType) : undefined;
  const warnings: string[] = [];
  const listeners: Listener[] = [];
  for (const listen of settings.listenPorts) {
    if (listen.protocol === "HTTPS") {
      warnings.push(`HTTPS listener on port ${listen.port} is not served: Moor has no certificates yet`);
      continue;
    }
    listeners.push({ protocol: "HTTP", port: listen.port, rules, ...(defaultTargetGroup ? { defaultTargetGroup } : {}) });
  }
  const name = ingressLoadBalancerName(cluster.sha256, cluster.name, ingress.namespace, ingress.name, settings.scheme);
  const dnsName = applicationDnsName(cluster.sha256, name, settings.scheme, cluster.region);
  return { plan: { name, dnsName, type: "application", scheme: settings.scheme, listeners, targetGroups: [...groups.values()] }, warnings };
}

/** The ALB for an Ingress of class alb, or the LBC's `Failed build model` event text. */
export function planIngress(input: IngressPlanInput): PlanResult {
  try {
    return buildIngress(input);
  } catch (error) {
    if (error instanceof BuildFailure || isMoorError(error)) {
      return { failure: `Failed build model due to ingress: ${input.ingress.namespace}/${input.ingress.name}: ${error.message}` };
    }
    throw error;
  }
}

const nlbPrefix = "service.beta.kubernetes.io/aws-load-balancer-";

/** The NLB's TCP health check: the LBC's defaults for IP targets (10 s, 10 s, 3, 3) or its annotations. */
function tcpCheck(annotations: Record<string, string>): TargetGroup["healthCheck"] {
  const whole = (name: string, fallback: number, range: [number, number]) => {
    const value = annotations[nlbPrefix + name];
    const number = value !== undefined && /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (value === undefined) return fallback;
    if (!(number >= range[0] && number <= range[1])) throw new BuildFailure(`invalid annotation ${nlbPrefix}${name}: "${value}" is not within ${range[0]}-${range[1]}`);
    return number;
  };
  return {
    protocol: "TCP",
    port: "traffic-port",
    intervalSeconds: whole("healthcheck-interval", 10, [5, 300]),
    timeoutSeconds: whole("healthcheck-timeout", 10, [2, 120]),
    healthyThreshold: whole("healthcheck-healthy-threshold", 3, [2, 10]),
    unhealthyThreshold: whole("healthcheck-unhealthy-threshold", 3, [2, 10]),
  };
}

/** The NLB for a LoadBalancer Service: one TCP listener per port, IP targets, TCP checks. */
export function planService(cluster: Cluster, service: ServiceView, endpoints: EndpointsView | undefined): PlanResult {
  try {
    return buildService(cluster, service, endpoints);
  } catch (error) {
    if (error instanceof BuildFailure) return { failure: `Failed build model due to service: ${service.namespace}/${service.name}: ${error.message}` };
    throw error;
  }
}

function buildService(cluster: Cluster, service: ServiceView, endpoints: EndpointsView | undefined): { plan: LoadBalancerPlan; warnings: string[] } {
  const scheme: Scheme = service.annotations[`${nlbPrefix}scheme`] === "internet-facing" ? "internet-facing" : "internal";
  const check = tcpCheck(service.annotations);
  const name = serviceLoadBalancerName(cluster.sha256, cluster.name, service, scheme);
  const listeners: Listener[] = [];
  const targetGroups: TargetGroup[] = [];
  for (const port of service.ports) {
    if ((port.protocol ?? "TCP") !== "TCP") continue;
    const id = `${service.namespace}-${service.name}-${port.port}`;
    targetGroups.push({ id, protocol: "TCP", targets: targetsOf(endpoints, port), healthCheck: check });
    listeners.push({ protocol: "TCP", port: port.port, rules: [], defaultTargetGroup: id });
  }
  return { plan: { name, dnsName: networkDnsName(cluster.sha256, name, cluster.region), type: "network", scheme, listeners, targetGroups }, warnings: [] };
}
