// The AWS Load Balancer Controller's Ingress annotations (`alb.ingress.kubernetes.io/...`) with
// its defaults: an internal ALB with instance targets, one HTTP listener on port 80, and HTTP
// health checks of `/` every 15 s (5 s timeout, 2 to turn healthy or unhealthy, code 200).
// Health check annotations may also sit on the backend Service; the Service's value wins.

import { invalid, quote } from "../../errors/mod.js";
import { parseSuccessCodes } from "./_codes.js";
import type { Scheme } from "./_names.js";

const prefix = "alb.ingress.kubernetes.io/";

export type TargetType = "ip" | "instance";

export interface HealthCheck {
  protocol: "HTTP" | "HTTPS";
  path: string;
  /** `traffic-port`: the target's own port. */
  port: "traffic-port" | number;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  successCodes: number[];
}

export interface ListenPort {
  protocol: "HTTP" | "HTTPS";
  port: number;
}

export interface IngressSettings {
  scheme: Scheme;
  targetType: TargetType;
  listenPorts: ListenPort[];
}

type Annotations = Readonly<Record<string, string>>;

function oneOf<T extends string>(annotations: Annotations, name: string, allowed: readonly T[], fallback: T): T {
  const value = annotations[prefix + name];
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw invalid(`Cannot use annotation ${quote(prefix + name)} value ${quote(value)}: it is none of ${allowed.join(", ")}`);
  return value as T;
}

function whole(annotations: Annotations, name: string, fallback: number, range: [number, number]): number {
  const value = annotations[prefix + name];
  if (value === undefined) return fallback;
  const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(number >= range[0] && number <= range[1])) throw invalid(`Cannot use annotation ${quote(prefix + name)} value ${quote(value)}: it is not a whole number within ${range[0]}-${range[1]}`);
  return number;
}

function listenPorts(annotations: Annotations): ListenPort[] {
  const value = annotations[`${prefix}listen-ports`];
  if (value === undefined) return [annotations[`${prefix}certificate-arn`] ? { protocol: "HTTPS", port: 443 } : { protocol: "HTTP", port: 80 }];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw invalid(`Cannot use annotation ${quote(`${prefix}listen-ports`)} value ${quote(value)}: it is not a JSON list of {"HTTP": port} objects`);
  return parsed.flatMap((entry: unknown) =>
    Object.entries((entry ?? {}) as Record<string, unknown>).map(([protocol, port]) => {
      if ((protocol !== "HTTP" && protocol !== "HTTPS") || !Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
        throw invalid(`Cannot use annotation ${quote(`${prefix}listen-ports`)} value ${quote(value)}: ${quote(`${protocol}:${String(port)}`)} is not HTTP or HTTPS with a port`);
      }
      return { protocol, port: port as number } as ListenPort;
    }),
  );
}

/** The Ingress-wide settings; throws Invalid naming the annotation at fault. */
export function ingressSettings(annotations: Annotations): IngressSettings {
  return {
    scheme: oneOf(annotations, "scheme", ["internal", "internet-facing"] as const, "internal"),
    targetType: oneOf(annotations, "target-type", ["instance", "ip"] as const, "instance"),
    listenPorts: listenPorts(annotations),
  };
}

/** One target group's health check, from the Ingress's annotations overlaid by the Service's. */
export function healthCheck(ingress: Annotations, service: Annotations = {}): HealthCheck {
  const annotations = { ...ingress, ...service };
  const port = annotations[`${prefix}healthcheck-port`] ?? "traffic-port";
  const number = Number(port);
  if (port !== "traffic-port" && !(Number.isInteger(number) && number >= 1 && number <= 65535)) {
    throw invalid(`Cannot use annotation ${quote(`${prefix}healthcheck-port`)} value ${quote(port)}: it is neither traffic-port nor a port number`);
  }
  const check: HealthCheck = {
    protocol: oneOf(annotations, "healthcheck-protocol", ["HTTP", "HTTPS"] as const, "HTTP"),
    path: annotations[`${prefix}healthcheck-path`] ?? "/",
    port: port === "traffic-port" ? port : number,
    intervalSeconds: whole(annotations, "healthcheck-interval-seconds", 15, [5, 300]),
    timeoutSeconds: whole(annotations, "healthcheck-timeout-seconds", 5, [2, 120]),
    healthyThreshold: whole(annotations, "healthy-threshold-count", 2, [2, 10]),
    unhealthyThreshold: whole(annotations, "unhealthy-threshold-count", 2, [2, 10]),
    successCodes: parseSuccessCodes(annotations[`${prefix}success-codes`] ?? "200"),
  };
  if (!/^\/[A-Za-z0-9/._~%!$&()*+,;=:@?-]*$/.test(check.path)) throw invalid(`Cannot use annotation ${quote(`${prefix}healthcheck-path`)} value ${quote(check.path)}: it is not an absolute path`);
  if (check.timeoutSeconds >= check.intervalSeconds) throw invalid(`Cannot use health check timeout ${check.timeoutSeconds} s: it must be shorter than the interval of ${check.intervalSeconds} s`);
  return check;
}

/** Whether an Ingress belongs to the ALB: its class names an IngressClass of `ingress.k8s.aws/alb`, or the legacy annotation says `alb`. */
export function isAlbIngress(ingress: { spec?: { ingressClassName?: string }; metadata: { annotations?: Annotations } }, classControllers: ReadonlyMap<string, string>): boolean {
  const className = ingress.spec?.ingressClassName;
  if (className) return classControllers.get(className) === albController;
  return ingress.metadata.annotations?.["kubernetes.io/ingress.class"] === "alb";
}

export const albController = "ingress.k8s.aws/alb";
