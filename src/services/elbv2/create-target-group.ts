// CreateTargetGroup: HTTP, HTTPS or TCP, ip or instance targets, its health check with ELB's
// defaults (HTTP: `/` every 30 s, 5 s timeout, 5 healthy, 2 unhealthy, code 200; TCP: every
// 30 s, 10 s, 5, 2) and ranges. Creating the same group again returns it; another with that name
// is DuplicateTargetGroupName.

import { parseSuccessCodes } from "../../domain/loadbalancers/mod.js";
import { isMoorError } from "../../errors/mod.js";
import { vpcKind } from "../../domain/securitygroups/mod.js";
import { describeTargetGroup } from "./_describe.js";
import { arnPrefix, checkName, elbApiVersion, elbError, type Elbv2Context, type HealthCheckSpec, type Stored, type Tag, targetGroupKind, type TargetGroupSpec, validationError } from "./_context.js";

export interface CreateTargetGroupInput {
  Name?: string;
  Protocol?: string;
  Port?: number;
  VpcId?: string;
  TargetType?: string;
  HealthCheckProtocol?: string;
  HealthCheckPort?: string;
  HealthCheckEnabled?: boolean;
  HealthCheckPath?: string;
  HealthCheckIntervalSeconds?: number;
  HealthCheckTimeoutSeconds?: number;
  HealthyThresholdCount?: number;
  UnhealthyThresholdCount?: number;
  Matcher?: { HttpCode?: string };
  Tags?: Tag[];
}

function within(value: number | undefined, fallback: number, low: number, high: number, member: string): number {
  if (value === undefined) return fallback;
  if (!(value >= low && value <= high)) throw validationError(`${member} must be between ${low} and ${high}`);
  return value;
}

export function healthCheckOf(input: Omit<CreateTargetGroupInput, "Name">, protocol: TargetGroupSpec["protocol"], base?: HealthCheckSpec): HealthCheckSpec {
  const checkProtocol = (input.HealthCheckProtocol ?? base?.protocol ?? (protocol === "TCP" ? "TCP" : protocol)) as HealthCheckSpec["protocol"];
  if (!["HTTP", "HTTPS", "TCP"].includes(checkProtocol)) throw validationError(`Health check protocol '${checkProtocol}' must be one of [HTTP, HTTPS, TCP]`);
  if (protocol !== "TCP" && checkProtocol === "TCP") throw validationError(`Health check protocol 'TCP' is not supported for target groups with the '${protocol}' protocol`);
  const http = checkProtocol !== "TCP";
  const port = input.HealthCheckPort ?? base?.port ?? "traffic-port";
  if (port !== "traffic-port" && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) throw validationError("Health check port must be 'traffic-port' or a number between 1 and 65535");
  const path = http ? (input.HealthCheckPath ?? base?.path ?? "/") : undefined;
  if (path !== undefined && !path.startsWith("/")) throw validationError("Health check path must begin with a '/' character");
  const matcher = http ? (input.Matcher?.HttpCode ?? base?.matcher ?? "200") : undefined;
  if (matcher !== undefined) {
    try {
      parseSuccessCodes(matcher);
    } catch (error) {
      if (isMoorError(error)) throw validationError(`Health check matcher HTTP code '${matcher}' must be within '200-499'`);
      throw error;
    }
  }
  const timeout = within(input.HealthCheckTimeoutSeconds, base?.timeoutSeconds ?? (http ? 5 : 10), 2, 120, "Health check timeout");
  const interval = within(input.HealthCheckIntervalSeconds, base?.intervalSeconds ?? 30, 5, 300, "Health check interval");
  if (timeout >= interval) throw validationError("Health check interval must be greater than the timeout.");
  return {
    protocol: checkProtocol,
    port,
    ...(path !== undefined ? { path } : {}),
    intervalSeconds: interval,
    timeoutSeconds: timeout,
    healthyThreshold: within(input.HealthyThresholdCount, base?.healthyThreshold ?? 5, 2, 10, "Healthy threshold count"),
    unhealthyThreshold: within(input.UnhealthyThresholdCount, base?.unhealthyThreshold ?? 2, 2, 10, "Unhealthy threshold count"),
    ...(matcher !== undefined ? { matcher } : {}),
    enabled: input.HealthCheckEnabled ?? base?.enabled ?? true,
  };
}

export function createTargetGroup(context: Elbv2Context, input: CreateTargetGroupInput) {
  const name = checkName(input.Name, "Target group");
  const protocol = (input.Protocol ?? "HTTP") as TargetGroupSpec["protocol"];
  if (protocol !== "HTTP" && protocol !== "TCP") throw validationError(`Protocol '${protocol}' must be one of [HTTP, TCP] in Moor`);
  const targetType = (input.TargetType ?? "instance") as TargetGroupSpec["targetType"];
  if (targetType !== "ip" && targetType !== "instance") throw validationError(`Target type '${targetType}' must be one of [ip, instance]`);
  if (input.Port === undefined || !(input.Port >= 1 && input.Port <= 65535)) throw validationError("A port must be specified");
  if (!input.VpcId) throw validationError("A VPC ID must be specified");
  if (!context.store.get({ kind: vpcKind, name: input.VpcId })) throw validationError(`The VPC ID '${input.VpcId}' is not found`);
  const spec: TargetGroupSpec = {
    arn: `${arnPrefix(context)}targetgroup/${name}/${context.randomHex()}`,
    protocol,
    port: input.Port,
    vpcId: input.VpcId,
    targetType,
    healthCheck: healthCheckOf(input, protocol),
    targets: [],
    tags: input.Tags ?? [],
    attributes: {},
  };
  const existing = context.store.get({ kind: targetGroupKind, name }) as Stored<TargetGroupSpec> | undefined;
  if (existing) {
    const same = JSON.stringify({ ...existing.spec, arn: "", targets: [], tags: [], attributes: {} }) === JSON.stringify({ ...spec, arn: "" });
    if (!same) throw elbError("AlreadyExists", "DuplicateTargetGroupName", "A target group with the same name exists, but with different settings");
    return { TargetGroups: [describeTargetGroup(existing.spec, name, [])] };
  }
  context.store.create({ apiVersion: elbApiVersion, kind: targetGroupKind, metadata: { name }, spec });
  return { TargetGroups: [describeTargetGroup(spec, name, [])] };
}
