// DescribeAvailabilityZones: the region's three zones, the ones the embedded VPC spans.

import type { CallContext, Ec2Context } from "./_context.js";
import { applyFilters, type Filter } from "./_filters.js";

export interface DescribeAvailabilityZonesInput {
  ZoneNames?: string[];
  ZoneIds?: string[];
  AllAvailabilityZones?: boolean;
  Filters?: Filter[];
}

export function describeAvailabilityZones(context: Ec2Context, input: DescribeAvailabilityZonesInput, call: CallContext) {
  const zones = context.vpc.subnets.map((subnet) => ({
    ZoneName: subnet.availabilityZone,
    ZoneId: subnet.availabilityZoneId,
    RegionName: context.region,
    State: "available",
    OptInStatus: "opt-in-not-required",
    Messages: [],
    GroupName: context.region,
    GroupLongName: context.region,
    NetworkBorderGroup: context.region,
    ZoneType: "availability-zone",
  }));
  void call;
  const named = zones.filter((zone) => (!input.ZoneNames?.length || input.ZoneNames.includes(zone.ZoneName)) && (!input.ZoneIds?.length || input.ZoneIds.includes(zone.ZoneId)));
  const fields: Record<string, (zone: (typeof zones)[number]) => string> = {
    "zone-name": (zone) => zone.ZoneName,
    "zone-id": (zone) => zone.ZoneId,
    "region-name": (zone) => zone.RegionName,
    state: (zone) => zone.State,
    "opt-in-status": (zone) => zone.OptInStatus,
    "zone-type": (zone) => zone.ZoneType,
    "group-name": (zone) => zone.GroupName,
  };
  return { AvailabilityZones: applyFilters(named, input.Filters, (zone, name) => fields[name]?.(zone)) };
}
