// Mount-target rules: one per zone per file system, a One Zone file system's single target in its
// own zone, an address from the subnet (or the requested one, if free), and security groups of
// the VPC (at most five).

import { quote } from "../../errors/mod.js";
import { addressRanges, ipToNumber, numberToIp, type Subnet, subnetContains, type Vpc } from "../network/mod.js";
import { badRequest, efsError } from "./_errors.js";
import type { FileSystemSpec } from "./_objects.js";

/** What placement needs to know of a file system's existing mount targets. */
export interface PlacedMountTarget {
  mountTargetId: string;
  subnetId: string;
  availabilityZoneName: string;
}

export const securityGroupsPerMountTargetMax = 5;

/** The subnet with this id in the VPC; SubnetNotFound otherwise. */
export function findSubnet(vpc: Vpc, subnetId: string, action: string): Subnet {
  const subnet = vpc.subnets.find((candidate) => candidate.subnetId === subnetId);
  if (!subnet) {
    throw efsError("SubnetNotFound", `${action}: subnet ${quote(subnetId)} does not exist; the VPC ${quote(vpc.vpcId)} has ${vpc.subnets.map((s) => quote(s.subnetId)).join(", ")}`);
  }
  return subnet;
}

/** Throws unless a new mount target of the file system may go into the subnet. */
export function checkPlacement(fileSystem: FileSystemSpec, fileSystemId: string, subnet: Subnet, existing: PlacedMountTarget[], action: string): void {
  const zone = fileSystem.availabilityZoneName;
  if (zone !== undefined && zone !== subnet.availabilityZone) {
    throw efsError(
      "AvailabilityZonesMismatch",
      `${action}: subnet ${quote(subnet.subnetId)} is in ${quote(subnet.availabilityZone)} but the One Zone file system ${quote(fileSystemId)} is in ${quote(zone)}`,
    );
  }
  if (zone !== undefined && existing.length > 0) {
    throw efsError("MountTargetConflict", `${action}: the One Zone file system ${quote(fileSystemId)} already has its mount target ${quote(existing[0]!.mountTargetId)}`);
  }
  const sameZone = existing.find((target) => target.availabilityZoneName === subnet.availabilityZone);
  if (sameZone) {
    throw efsError(
      "MountTargetConflict",
      `${action}: file system ${quote(fileSystemId)} already has a mount target in ${quote(subnet.availabilityZone)}: ${quote(sameZone.mountTargetId)} in subnet ${quote(sameZone.subnetId)}`,
    );
  }
}

/** The requested address if it is in the subnet and free, else a free one from the top down. */
export function mountTargetAddress(subnet: Subnet, requested: string | undefined, used: ReadonlySet<string>, action: string): string {
  if (requested !== undefined) {
    const parts = requested.split(".").map(Number);
    if (parts.some((part) => part > 255) || !subnetContains(subnet, requested)) {
      throw badRequest(`${action}: IpAddress ${quote(requested)} is not a usable address of subnet ${quote(subnet.subnetId)} (${subnet.cidrBlock})`);
    }
    // "10.42.0.010" and "10.42.0.10" are one address.
    const address = numberToIp(ipToNumber(requested));
    if (used.has(address)) throw efsError("IpAddressInUse", `${action}: IpAddress ${quote(requested)} is already in use in subnet ${quote(subnet.subnetId)}`);
    return address;
  }
  // From the top of the subnet's interface range down, clear of the pods' addresses.
  const range = addressRanges(subnet).interfaces;
  for (let address = range.last; address >= range.first; address--) {
    const ip = numberToIp(address);
    if (!used.has(ip)) return ip;
  }
  throw efsError("NoFreeAddressesInSubnet", `${action}: subnet ${quote(subnet.subnetId)} has no free address`);
}

/**
 * The security groups to use: the given ones (known, at most five) or the VPC's default.
 * `isKnown` says which groups exist in the VPC (the EC2 service's); the default always does.
 */
export function mountTargetSecurityGroups(requested: string[] | undefined, vpc: Vpc, action: string, isKnown: (groupId: string) => boolean = () => false): string[] {
  if (requested === undefined || requested.length === 0) return [vpc.defaultSecurityGroupId];
  const groups = [...new Set(requested)];
  if (groups.length > securityGroupsPerMountTargetMax) {
    throw efsError("SecurityGroupLimitExceeded", `${action}: ${groups.length} security groups given; a mount target has at most ${securityGroupsPerMountTargetMax}`);
  }
  const unknown = groups.find((group) => group !== vpc.defaultSecurityGroupId && !isKnown(group));
  if (unknown !== undefined) {
    throw efsError("SecurityGroupNotFound", `${action}: security group ${quote(unknown)} does not exist in VPC ${quote(vpc.vpcId)}; make one with aws ec2 create-security-group`);
  }
  return groups;
}
