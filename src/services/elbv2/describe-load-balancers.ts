// DescribeLoadBalancers: by Names or LoadBalancerArns (each must exist: LoadBalancerNotFound), or
// all of them. Besides the API's own, the ALBs of Ingresses and the NLBs of LoadBalancer
// Services appear, as the AWS Load Balancer Controller's do on EKS: their names and hostnames are
// the ones kubectl shows.

import { embeddedVpc } from "../../domain/network/mod.js";
import { describeLoadBalancer, type LoadBalancerDescription } from "./_describe.js";
import { allOf, arnPrefix, elbError, type Elbv2Context, loadBalancerKind, type LoadBalancerSpec } from "./_context.js";

export interface DescribeLoadBalancersInput {
  Names?: string[];
  LoadBalancerArns?: string[];
}

/** An ALB hostname `[internal-]<name>-<digits>.<region>.elb…` or an NLB's `<name>-<16 hex>.elb.<region>…`. */
function clusterMadeName(hostname: string): { name: string; type: "application" | "network"; scheme: "internal" | "internet-facing" } | undefined {
  const alb = /^(internal-)?(k8s-.+)-\d+\.[a-z0-9-]+\.elb\.amazonaws\.com$/.exec(hostname);
  if (alb) return { name: alb[2]!, type: "application", scheme: alb[1] ? "internal" : "internet-facing" };
  const nlb = /^(k8s-.+)-[0-9a-f]{16}\.elb\.[a-z0-9-]+\.amazonaws\.com$/.exec(hostname);
  if (nlb) return { name: nlb[1]!, type: "network", scheme: "internal" };
  return undefined;
}

/** The load balancers Ingresses and Services have, described as the LBC's are. */
export function clusterMadeBalancers(context: Elbv2Context): LoadBalancerDescription[] {
  const vpc = embeddedVpc(context.region);
  const made = [...context.store.list("Ingress").items, ...context.store.list("Service").items];
  const found: LoadBalancerDescription[] = [];
  for (const object of made) {
    const hostname = object.status?.loadBalancer?.ingress?.[0]?.hostname;
    const parsed = typeof hostname === "string" ? clusterMadeName(hostname) : undefined;
    if (!parsed) continue;
    const spec: LoadBalancerSpec = {
      arn: `${arnPrefix(context)}loadbalancer/${parsed.type === "application" ? "app" : "net"}/${parsed.name}/${context.sha256(`arn:${parsed.name}`).slice(0, 16)}`,
      type: parsed.type,
      scheme: parsed.type === "network" && object.metadata.annotations?.["service.beta.kubernetes.io/aws-load-balancer-scheme"] === "internet-facing" ? "internet-facing" : parsed.scheme,
      vpcId: vpc.vpcId,
      subnets: vpc.subnets.map((subnet) => ({ subnetId: subnet.subnetId, zone: subnet.availabilityZone })),
      securityGroups: [],
      dnsName: hostname,
      createdTime: String(object.metadata.creationTimestamp ?? context.now().toISOString()),
      tags: [],
      attributes: {},
    };
    found.push(describeLoadBalancer(spec, parsed.name));
  }
  return found;
}

export function describeLoadBalancers(context: Elbv2Context, input: DescribeLoadBalancersInput): { LoadBalancers: LoadBalancerDescription[] } {
  const own = allOf<LoadBalancerSpec>(context, loadBalancerKind).map((item) => describeLoadBalancer(item.spec, item.metadata.name));
  const all = [...own, ...clusterMadeBalancers(context)];
  if (input.Names?.length && input.LoadBalancerArns?.length) throw elbError("Invalid", "ValidationError", "Load balancer names and load balancer ARNs cannot be specified at the same time");
  if (input.Names?.length) {
    return {
      LoadBalancers: input.Names.map((name) => {
        const found = all.find((item) => item.LoadBalancerName === name);
        if (!found) throw elbError("NotFound", "LoadBalancerNotFound", `Load balancers '[${name}]' not found`);
        return found;
      }),
    };
  }
  if (input.LoadBalancerArns?.length) {
    return {
      LoadBalancers: input.LoadBalancerArns.map((arn) => {
        const found = all.find((item) => item.LoadBalancerArn === arn);
        if (!found) throw elbError("NotFound", "LoadBalancerNotFound", `One or more load balancers not found`);
        return found;
      }),
    };
  }
  return { LoadBalancers: all };
}
