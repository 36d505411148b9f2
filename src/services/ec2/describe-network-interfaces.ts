// DescribeNetworkInterfaces: one interface for every address Moor has handed out (pods, mount
// targets, node-group nodes), with the groups that guard it; by ids (each must exist) and filters.

import { securityGroupKind, type NetworkInterface, type SecurityGroupObject } from "../../domain/securitygroups/mod.js";
import { type CallContext, type Ec2Context, ec2Error } from "./_context.js";
import { applyFilters, type Filter } from "./_filters.js";
import { listInterfaces } from "./_interfaces.js";

export interface DescribeNetworkInterfacesInput {
  NetworkInterfaceIds?: string[];
  Filters?: Filter[];
}

function field(context: Ec2Context, eni: NetworkInterface, name: string): string | readonly string[] | undefined {
  const fields: Record<string, string | readonly string[] | undefined> = {
    "network-interface-id": eni.networkInterfaceId,
    "subnet-id": eni.subnetId ?? "",
    "vpc-id": context.vpc.vpcId,
    "availability-zone": eni.availabilityZone ?? "",
    "private-ip-address": eni.ip,
    "addresses.private-ip-address": eni.ip,
    "group-id": eni.securityGroupIds,
    "interface-type": eni.interfaceType,
    description: eni.description,
    status: "in-use",
    "owner-id": context.accountId,
    "requester-managed": String(eni.interfaceType !== "interface"),
  };
  return name in fields ? fields[name] : undefined;
}

function dnsName(region: string, ip: string): string {
  const host = `ip-${ip.replace(/\./g, "-")}`;
  return region === "us-east-1" ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

function output(context: Ec2Context, call: CallContext, eni: NetworkInterface) {
  const groupName = (id: string) => (context.store.get({ kind: securityGroupKind, name: id }) as SecurityGroupObject | undefined)?.spec.groupName;
  const privateDnsName = dnsName(call.region, eni.ip);
  const mac = `0e:${eni.ip.split(".").map((part) => Number(part).toString(16).padStart(2, "0")).join(":")}:01`;
  return {
    NetworkInterfaceId: eni.networkInterfaceId,
    SubnetId: eni.subnetId,
    VpcId: context.vpc.vpcId,
    AvailabilityZone: eni.availabilityZone,
    Description: eni.description,
    Groups: eni.securityGroupIds.map((id) => ({ GroupId: id, GroupName: groupName(id) })),
    InterfaceType: eni.interfaceType,
    MacAddress: mac,
    OwnerId: context.accountId,
    PrivateDnsName: privateDnsName,
    PrivateIpAddress: eni.ip,
    PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: eni.ip, PrivateDnsName: privateDnsName }],
    Ipv6Addresses: [],
    RequesterManaged: eni.interfaceType !== "interface",
    SourceDestCheck: true,
    Status: "in-use",
    TagSet: [],
  };
}

export function describeNetworkInterfaces(context: Ec2Context, input: DescribeNetworkInterfacesInput, call: CallContext) {
  const interfaces = listInterfaces(context);
  let chosen = interfaces;
  if (input.NetworkInterfaceIds?.length) {
    chosen = input.NetworkInterfaceIds.map((id) => {
      const found = interfaces.find((eni) => eni.networkInterfaceId === id);
      if (!found) throw ec2Error("NotFound", "InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${id}' does not exist`);
      return found;
    });
  }
  return { NetworkInterfaces: applyFilters(chosen, input.Filters, (eni, name) => field(context, eni, name)).map((eni) => output(context, call, eni)) };
}
