// The DBInstance and DBSubnetGroup output shapes, in the model's member names: no Endpoint until
// the instance is available (or later, while it still has an address), the VPC's groups, the
// subnet group with its subnets, the default parameter group of the engine's family.

import { type DBInstanceObject, type DBSubnetGroupObject, endpointAddress, endpointHostedZoneId, endpointToken, engineFacts } from "../../domain/rds/mod.js";
import type { RdsContext } from "./_context.js";
import { requireSubnetGroup } from "./_context.js";

const withEndpoint = new Set(["available", "backing-up", "modifying", "rebooting"]);

export function subnetGroupOutput(context: RdsContext, group: DBSubnetGroupObject) {
  const { spec } = group;
  return {
    DBSubnetGroupName: spec.name,
    DBSubnetGroupDescription: spec.description,
    VpcId: spec.vpcId,
    SubnetGroupStatus: "Complete",
    Subnets: spec.subnets.map((subnet) => ({
      SubnetIdentifier: subnet.subnetId,
      SubnetAvailabilityZone: { Name: subnet.availabilityZone },
      SubnetOutpost: {},
      SubnetStatus: "Active",
    })),
    DBSubnetGroupArn: `arn:aws:rds:${context.region}:${context.accountId}:subgrp:${spec.name}`,
    SupportedNetworkTypes: ["IPV4"],
  };
}

export function dbInstanceOutput(context: RdsContext, instance: DBInstanceObject) {
  const { spec, status } = instance;
  const facts = engineFacts(spec.engine)!;
  const group = safeSubnetGroup(context, spec.subnetGroupName);
  const showEndpoint = withEndpoint.has(status.status) && (status.status !== "backing-up" || Boolean(status.address));
  return {
    DBInstanceIdentifier: spec.identifier,
    DBInstanceClass: spec.instanceClass,
    Engine: spec.engine,
    DBInstanceStatus: status.status,
    MasterUsername: spec.masterUsername,
    ...(spec.dbName ? { DBName: spec.dbName } : {}),
    ...(showEndpoint ? { Endpoint: { Address: endpointAddress(spec.identifier, endpointToken(context.accountId, context.region), context.region), Port: spec.port, HostedZoneId: endpointHostedZoneId(context.region) } } : {}),
    AllocatedStorage: spec.allocatedStorageGiB,
    InstanceCreateTime: new Date(spec.createTime),
    PreferredBackupWindow: "03:00-03:30",
    BackupRetentionPeriod: spec.backupRetentionPeriod,
    DBSecurityGroups: [],
    VpcSecurityGroups: spec.securityGroupIds.map((id) => ({ VpcSecurityGroupId: id, Status: "active" })),
    DBParameterGroups: [{ DBParameterGroupName: `default.${facts.parameterGroupFamily(spec.engineVersion)}`, ParameterApplyStatus: "in-sync" }],
    AvailabilityZone: spec.availabilityZone,
    ...(group ? { DBSubnetGroup: subnetGroupOutput(context, group) } : {}),
    PreferredMaintenanceWindow: "sun:05:00-sun:05:30",
    PendingModifiedValues: {},
    MultiAZ: spec.multiAz,
    EngineVersion: spec.engineVersion,
    AutoMinorVersionUpgrade: true,
    ReadReplicaDBInstanceIdentifiers: [],
    LicenseModel: facts.licenseModel,
    OptionGroupMemberships: [{ OptionGroupName: `default:${spec.engine}-${facts.parameterGroupFamily(spec.engineVersion).replace(/^[a-z]+/, "").replace(".", "-")}`, Status: "in-sync" }],
    PubliclyAccessible: spec.publiclyAccessible,
    StorageType: spec.storageType,
    DbInstancePort: 0,
    StorageEncrypted: false,
    DbiResourceId: spec.dbiResourceId,
    CACertificateIdentifier: "rds-ca-rsa2048-g1",
    CopyTagsToSnapshot: false,
    IAMDatabaseAuthenticationEnabled: false,
    PerformanceInsightsEnabled: false,
    DBInstanceArn: instanceArn(context, spec.identifier),
    TagList: spec.tags,
    DeletionProtection: spec.deletionProtection,
    CustomerOwnedIpEnabled: false,
    NetworkType: "IPV4",
    BackupTarget: "region",
    CertificateDetails: { CAIdentifier: "rds-ca-rsa2048-g1" },
    DedicatedLogVolume: false,
    IsStorageConfigUpgradeAvailable: false,
    EngineLifecycleSupport: "open-source-rds-extended-support",
  };
}

export function instanceArn(context: RdsContext, identifier: string): string {
  return `arn:aws:rds:${context.region}:${context.accountId}:db:${identifier}`;
}

function safeSubnetGroup(context: RdsContext, name: string): DBSubnetGroupObject | undefined {
  try {
    return requireSubnetGroup(context, name);
  } catch {
    return undefined;
  }
}
