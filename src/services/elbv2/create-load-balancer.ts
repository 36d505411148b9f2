// CreateLoadBalancer: an ALB or NLB named by the caller, in the subnets given (one per zone, all
// in one VPC), with its hostname in ELB's shape. The load balancer controller realizes it as
// Ingress-made ones are: a proxy listener on its own host loopback and VPC addresses once a
// listener exists, its hostname in /etc/hosts and cluster DNS.

import { applicationDnsName, networkDnsName } from "../../domain/loadbalancers/mod.js";
import { subnetKind } from "../../domain/securitygroups/mod.js";
import { describeLoadBalancer, type LoadBalancerDescription } from "./_describe.js";
import { arnPrefix, checkName, elbApiVersion, elbError, type Elbv2Context, loadBalancerKind, type LoadBalancerSpec, type Stored, type Tag, validationError } from "./_context.js";

export interface CreateLoadBalancerInput {
  Name?: string;
  Subnets?: string[];
  SubnetMappings?: { SubnetId: string }[];
  SecurityGroups?: string[];
  Scheme?: string;
  Tags?: Tag[];
  Type?: string;
  IpAddressType?: string;
}

function subnetsOf(context: Elbv2Context, input: CreateLoadBalancerInput): { vpcId: string; subnets: LoadBalancerSpec["subnets"] } {
  const ids = input.Subnets ?? input.SubnetMappings?.map((mapping) => mapping.SubnetId) ?? [];
  const subnets = ids.map((subnetId) => {
    const found = context.store.get({ kind: subnetKind, name: subnetId });
    if (!found) throw elbError("NotFound", "SubnetNotFound", `The subnet ID '${subnetId}' does not exist`);
    return { subnetId, zone: String(found.spec.availabilityZone), vpcId: String(found.spec.vpcId) };
  });
  const vpcs = new Set(subnets.map((subnet) => subnet.vpcId));
  if (vpcs.size > 1) throw elbError("Invalid", "InvalidSubnet", "The subnets must all be in the same VPC");
  const zones = new Set(subnets.map((subnet) => subnet.zone));
  if (zones.size < subnets.length) throw elbError("Invalid", "InvalidConfigurationRequest", "A load balancer cannot be attached to multiple subnets in the same Availability Zone");
  return { vpcId: [...vpcs][0] ?? "", subnets: subnets.map(({ subnetId, zone }) => ({ subnetId, zone })) };
}

export function createLoadBalancer(context: Elbv2Context, input: CreateLoadBalancerInput): { LoadBalancers: LoadBalancerDescription[] } {
  const name = checkName(input.Name, "LoadBalancer");
  const type = input.Type ?? "application";
  if (type !== "application" && type !== "network") throw validationError(`Load balancer type '${type}' is not supported: Moor makes 'application' and 'network'`);
  const scheme = input.Scheme ?? "internet-facing";
  if (scheme !== "internet-facing" && scheme !== "internal") throw validationError(`Scheme '${scheme}' must be one of [internet-facing, internal]`);
  if (context.store.get({ kind: loadBalancerKind, name })) throw elbError("AlreadyExists", "DuplicateLoadBalancerName", "A load balancer with the same name already exists");
  const { vpcId, subnets } = subnetsOf(context, input);
  if (type === "application" && subnets.length < 2) {
    throw validationError("At least two subnets in two different Availability Zones must be specified");
  }
  if (subnets.length === 0) throw validationError("At least one subnet must be specified");
  const kind = type === "application" ? "app" : "net";
  const spec: LoadBalancerSpec = {
    arn: `${arnPrefix(context)}loadbalancer/${kind}/${name}/${context.randomHex()}`,
    type,
    scheme,
    vpcId,
    subnets,
    securityGroups: input.SecurityGroups ?? [],
    dnsName: type === "application" ? applicationDnsName(context.sha256, name, scheme, context.region) : networkDnsName(context.sha256, name, context.region),
    createdTime: context.now().toISOString(),
    tags: input.Tags ?? [],
    attributes: {},
  };
  const object = context.store.create({ apiVersion: elbApiVersion, kind: loadBalancerKind, metadata: { name }, spec }) as Stored<LoadBalancerSpec>;
  return { LoadBalancers: [describeLoadBalancer(object.spec, name)] };
}
