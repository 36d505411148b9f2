// ELBv2's descriptions of the stored objects, in the model's member names.

import type { HealthCheckSpec, ListenerSpec, LoadBalancerSpec, TargetGroupSpec } from "./_context.js";

/** ELB's hosted zone for ALBs and for NLBs (us-east-1's; Moor serves one region at a time). */
const hostedZones = { application: "Z35SXDOTRQ7X7K", network: "Z26RNL4JYFTOTI" };

export interface LoadBalancerDescription {
  LoadBalancerArn: string;
  DNSName: string;
  CanonicalHostedZoneId: string;
  CreatedTime: string;
  LoadBalancerName: string;
  Scheme: string;
  VpcId: string;
  State: { Code: string };
  Type: string;
  AvailabilityZones: { ZoneName: string; SubnetId: string; LoadBalancerAddresses: [] }[];
  SecurityGroups?: string[];
  IpAddressType: string;
}

export function describeLoadBalancer(spec: LoadBalancerSpec, name: string): LoadBalancerDescription {
  return {
    LoadBalancerArn: spec.arn,
    DNSName: spec.dnsName,
    CanonicalHostedZoneId: hostedZones[spec.type],
    CreatedTime: spec.createdTime,
    LoadBalancerName: name,
    Scheme: spec.scheme,
    VpcId: spec.vpcId,
    State: { Code: "active" },
    Type: spec.type,
    AvailabilityZones: spec.subnets.map((subnet) => ({ ZoneName: subnet.zone, SubnetId: subnet.subnetId, LoadBalancerAddresses: [] })),
    ...(spec.type === "application" ? { SecurityGroups: spec.securityGroups } : {}),
    IpAddressType: "ipv4",
  };
}

function healthCheckMembers(check: HealthCheckSpec) {
  return {
    HealthCheckProtocol: check.protocol,
    HealthCheckPort: check.port,
    HealthCheckEnabled: check.enabled,
    HealthCheckIntervalSeconds: check.intervalSeconds,
    HealthCheckTimeoutSeconds: check.timeoutSeconds,
    HealthyThresholdCount: check.healthyThreshold,
    UnhealthyThresholdCount: check.unhealthyThreshold,
    ...(check.path !== undefined ? { HealthCheckPath: check.path } : {}),
    ...(check.matcher !== undefined ? { Matcher: { HttpCode: check.matcher } } : {}),
  };
}

export function describeTargetGroup(spec: TargetGroupSpec, name: string, loadBalancerArns: string[]) {
  return {
    TargetGroupArn: spec.arn,
    TargetGroupName: name,
    Protocol: spec.protocol,
    Port: spec.port,
    VpcId: spec.vpcId,
    ...healthCheckMembers(spec.healthCheck),
    LoadBalancerArns: loadBalancerArns,
    TargetType: spec.targetType,
    ProtocolVersion: spec.protocol === "TCP" ? undefined : "HTTP1",
    IpAddressType: "ipv4",
  };
}

export function describeListener(spec: ListenerSpec) {
  return {
    ListenerArn: spec.arn,
    LoadBalancerArn: spec.loadBalancerArn,
    Port: spec.port,
    Protocol: spec.protocol,
    DefaultActions: spec.defaultActions.map((action) =>
      action.Type === "forward"
        ? { Type: "forward", TargetGroupArn: action.TargetGroupArn, ForwardConfig: { TargetGroups: [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } } }
        : action,
    ),
  };
}
