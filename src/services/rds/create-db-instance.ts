// CreateDBInstance: checks the input as RDS does, places the instance in one zone of its subnet
// group (the one asked, else one chosen by its identifier), gives it the VPC's default security
// group unless groups are named, and stores it `creating`; the RDS controller runs its server.

import { createHash } from "node:crypto";
import {
  dbiResourceIdFrom,
  dbInstanceKind,
  type DBInstanceObject,
  dbNameProblem,
  type DBSubnetGroupObject,
  type EngineName,
  engineFacts,
  identifierProblem,
  masterUsernameProblem,
  passwordProblem,
  rdsApiVersion,
  storageProblem,
} from "../../domain/rds/mod.js";
import { securityGroupKind, vpcKind } from "../../domain/securitygroups/mod.js";
import { findInstance, invalidParameter, type RdsContext, rdsError, requireSubnetGroup, type Tag } from "./_context.js";
import { defaultSubnetGroup } from "./_default-group.js";
import { dbInstanceOutput } from "./_output.js";

export interface CreateDBInstanceInput {
  DBInstanceIdentifier: string;
  DBInstanceClass: string;
  Engine: string;
  EngineVersion?: string;
  DBName?: string;
  MasterUsername?: string;
  MasterUserPassword?: string;
  AllocatedStorage?: number;
  StorageType?: string;
  DBSubnetGroupName?: string;
  AvailabilityZone?: string;
  VpcSecurityGroupIds?: string[];
  Port?: number;
  PubliclyAccessible?: boolean;
  MultiAZ?: boolean;
  BackupRetentionPeriod?: number;
  DeletionProtection?: boolean;
  Tags?: Tag[];
}

function checkInput(input: CreateDBInstanceInput): void {
  const identifier = identifierProblem(input.DBInstanceIdentifier);
  if (identifier) throw invalidParameter(identifier);
  if (!engineFacts(input.Engine)) throw invalidParameter(`Invalid DB engine: ${input.Engine}`);
  if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(input.DBInstanceClass)) throw invalidParameter(`Invalid DB Instance class: ${input.DBInstanceClass}`);
  if (!input.MasterUsername) throw invalidParameter("The parameter MasterUsername must be provided and must not be blank.");
  if (!input.MasterUserPassword) throw invalidParameter("The parameter MasterUserPassword must be provided and must not be blank.");
  const problem =
    masterUsernameProblem(input.Engine, input.MasterUsername) ??
    passwordProblem(input.Engine, input.MasterUserPassword) ??
    (input.DBName !== undefined ? dbNameProblem(input.Engine, input.DBName) : undefined) ??
    storageProblem(input.AllocatedStorage ?? 0);
  if (problem) throw invalidParameter(problem);
  if (input.Port !== undefined && (input.Port < 1150 || input.Port > 65535)) throw invalidParameter(`Invalid port ${input.Port}: it must be between 1150 and 65535`);
}

/** The subnet the instance lives in: one in the zone asked, else one picked by the identifier. */
function placement(group: DBSubnetGroupObject, identifier: string, zone: string | undefined) {
  const subnets = [...group.spec.subnets].sort((a, b) => (a.availabilityZone < b.availabilityZone ? -1 : 1));
  if (zone) {
    const inZone = subnets.find((subnet) => subnet.availabilityZone === zone);
    if (!inZone) throw rdsError("Invalid", "InvalidVPCNetworkStateFault", `Cannot create DB instance ${identifier}: the DB subnet group has no subnet in availability zone ${zone}`);
    return inZone;
  }
  const seed = parseInt(createHash("sha256").update(identifier).digest("hex").slice(0, 8), 16);
  return subnets[seed % subnets.length]!;
}

function securityGroups(context: RdsContext, vpcId: string, asked: string[] | undefined): string[] {
  if (!asked || asked.length === 0) {
    const vpc = context.store.get({ kind: vpcKind, name: vpcId });
    return vpc?.spec?.defaultSecurityGroupId ? [vpc.spec.defaultSecurityGroupId as string] : [];
  }
  for (const groupId of asked) {
    const group = context.store.get({ kind: securityGroupKind, name: groupId });
    if (!group) throw invalidParameter(`Invalid security group , groupId= ${groupId}, groupName=.`);
    if (group.spec?.vpcId !== vpcId) throw rdsError("Invalid", "InvalidParameterCombination", `The DB instance and EC2 security group are in different VPCs. The DB instance is in ${vpcId} and the EC2 security group is in ${group.spec?.vpcId}`);
  }
  return [...new Set(asked)];
}

export function createDBInstance(context: RdsContext, input: CreateDBInstanceInput) {
  checkInput(input);
  const identifier = input.DBInstanceIdentifier.toLowerCase();
  if (findInstance(context, identifier)) throw rdsError("AlreadyExists", "DBInstanceAlreadyExists", "DB instance already exists");
  const group = input.DBSubnetGroupName ? requireSubnetGroup(context, input.DBSubnetGroupName) : defaultSubnetGroup(context);
  const subnet = placement(group, identifier, input.AvailabilityZone);
  const facts = engineFacts(input.Engine)!;
  const now = context.now().toISOString();
  const instance: DBInstanceObject = {
    apiVersion: rdsApiVersion,
    kind: dbInstanceKind,
    metadata: { name: identifier },
    spec: {
      identifier,
      instanceClass: input.DBInstanceClass,
      engine: input.Engine as EngineName,
      engineVersion: input.EngineVersion ?? facts.defaultVersion,
      masterUsername: input.MasterUsername!,
      masterUserPassword: input.MasterUserPassword!,
      ...(input.DBName !== undefined ? { dbName: input.DBName } : {}),
      allocatedStorageGiB: input.AllocatedStorage!,
      storageType: input.StorageType ?? "gp2",
      port: input.Port ?? facts.port,
      subnetGroupName: group.metadata.name,
      vpcId: group.spec.vpcId,
      availabilityZone: subnet.availabilityZone,
      subnetId: subnet.subnetId,
      securityGroupIds: securityGroups(context, group.spec.vpcId, input.VpcSecurityGroupIds),
      publiclyAccessible: input.PubliclyAccessible ?? false,
      multiAz: input.MultiAZ ?? false,
      backupRetentionPeriod: input.BackupRetentionPeriod ?? 1,
      deletionProtection: input.DeletionProtection ?? false,
      dbiResourceId: dbiResourceIdFrom(context.randomHex(26)),
      createTime: now,
      tags: input.Tags ?? [],
    },
    status: { status: "creating", since: now },
  };
  context.store.create(instance as never);
  return { DBInstance: dbInstanceOutput(context, instance) };
}
