// The embedded cluster's network as AWS would describe it: one VPC with three subnets in three
// zones of the region. Ids are fixed and derived from the region so they stay the same across
// restarts and machines. Addresses exist only inside network namespaces that Moor creates.

export interface Subnet {
  subnetId: string;
  availabilityZone: string;
  availabilityZoneId: string;
  cidrBlock: string;
  /** First host address usable for mount targets and pods, as a 32-bit number. */
  firstHost: number;
  lastHost: number;
}

export interface Vpc {
  vpcId: string;
  cidrBlock: string;
  defaultSecurityGroupId: string;
  subnets: Subnet[];
}

const zoneLetters = ["a", "b", "c"];

export function embeddedVpc(region: string): Vpc {
  const regionCode = regionShortCode(region);
  const subnets = zoneLetters.map((letter, index) => {
    const base = ipToNumber(`10.42.${index * 16}.0`);
    return {
      subnetId: `subnet-042a${hex(index + 1, 13)}`,
      availabilityZone: `${region}${letter}`,
      availabilityZoneId: `${regionCode}-az${index + 1}`,
      cidrBlock: `10.42.${index * 16}.0/20`,
      firstHost: base + 4,
      lastHost: base + 4096 - 2,
    };
  });
  return {
    vpcId: "vpc-042a0000000000001",
    cidrBlock: "10.42.0.0/16",
    defaultSecurityGroupId: "sg-042a0000000000001",
    subnets,
  };
}

/** "us-east-1" → "use1", as AWS's zone ids spell regions. */
export function regionShortCode(region: string): string {
  const match = /^([a-z]{2})-([a-z]+)-(\d+)$/.exec(region);
  if (!match) return region.replace(/[^a-z0-9]/g, "");
  const [, country, direction, number] = match;
  return `${country}${direction![0]}${number}`;
}

export interface AddressRange {
  first: number;
  last: number;
}

/**
 * How a subnet's addresses are shared, so that no two allocators hand out the same one:
 * - Fargate pods (and their nodes), from x.x.0.4 up, and node-group nodes from x.x.7.254 down;
 * - node-group pods (the agent's host-local range), x.x.8.0 to x.x.11.254;
 * - network interfaces of mount targets, from x.x.15.254 down to x.x.12.0.
 */
export function addressRanges(subnet: Subnet): { fargate: AddressRange; nodeGroupPods: AddressRange; interfaces: AddressRange } {
  const base = subnet.firstHost - 4;
  return {
    fargate: { first: subnet.firstHost, last: base + 8 * 256 - 2 },
    nodeGroupPods: { first: base + 8 * 256, last: base + 12 * 256 - 2 },
    interfaces: { first: base + 12 * 256, last: subnet.lastHost },
  };
}

export function ipToNumber(ip: string): number {
  return ip.split(".").reduce((sum, part) => sum * 256 + Number(part), 0);
}

export function numberToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

export function subnetContains(subnet: Subnet, ip: string): boolean {
  const value = ipToNumber(ip);
  return value >= subnet.firstHost && value <= subnet.lastHost;
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, "0");
}
