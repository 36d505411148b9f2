// EC2 security groups and network interfaces as pure rules: the stored shapes, the two groups a
// cluster starts with, EC2's IpPermissions to and from single-peer rules, the ingress question
// (does any of a destination's groups let this packet in?), every address Moor hands out as a
// network interface, and the nftables ruleset that enforces the groups in the VPC namespace.

export { admittingGroup, type Packet, type PacketSource, releasingGroup } from "./_evaluate.js";
export { type MountTargetLike, networkInterfacesOf, type NodeLike, podInterfaceId, type PodLike } from "./_interfaces.js";
export {
  clusterSecurityGroupId,
  clusterSecurityGroupName,
  ec2ApiVersion,
  initialSecurityGroups,
  type NetworkInterface,
  podSecurityGroupIds,
  securityGroupIdsAnnotation,
  type SecurityGroupObject,
  type SecurityGroupRule,
  type SecurityGroupSpec,
  securityGroupKind,
  subnetKind,
  type Tag,
  vpcKind,
} from "./_model.js";
export {
  cidrContains,
  describeRule,
  type IpPermission,
  type IpRange,
  normalizeProtocol,
  parseCidr,
  permissionsOf,
  type RuleRequest,
  rulesOf,
  sameRule,
  type UserIdGroupPair,
} from "./_permissions.js";
export { renderRuleset, rulesetTable } from "./_ruleset.js";
