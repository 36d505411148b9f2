// RDS's rules with no I/O: the stored kinds (DBInstance and DBSubnetGroup in the rds.moor.dev
// group, named by their lower-cased identifiers), the engines Moor runs and their defaults, the
// input rules of CreateDBInstance and CreateDBSubnetGroup with RDS's texts, the endpoint name
// (one 12-character token per account and region), and the lifecycle's statuses.

export { identifierProblem, dbNameProblem, masterUsernameProblem, passwordProblem, storageProblem, subnetGroupNameProblem, azCoverageProblem } from "./_rules.js";

export const rdsApiVersion = "rds.moor.dev/v1";
export const dbInstanceKind = "DBInstance";
export const dbSubnetGroupKind = "DBSubnetGroup";
export const dbSnapshotKind = "DBSnapshot";
/** The namespace each DB instance's sandbox (a Pod) runs in. */
export const rdsNamespace = "aws-rds";

export type EngineName = "mysql" | "mariadb" | "postgres";

export interface EngineFacts {
  port: number;
  defaultVersion: string;
  /** The server Moor runs: MariaDB 10.11 for mysql and mariadb, PostgreSQL 15 for postgres. */
  server: "mariadb" | "postgres";
  /** Where the server keeps its data inside the sandbox (the block volume's mount). */
  dataPath: string;
  parameterGroupFamily(version: string): string;
  licenseModel: string;
}

const engines: Record<EngineName, EngineFacts> = {
  mysql: { port: 3306, defaultVersion: "8.0.40", server: "mariadb", dataPath: "/var/lib/mysql", parameterGroupFamily: (version) => `mysql${majorMinor(version)}`, licenseModel: "general-public-license" },
  mariadb: { port: 3306, defaultVersion: "10.11.10", server: "mariadb", dataPath: "/var/lib/mysql", parameterGroupFamily: (version) => `mariadb${majorMinor(version)}`, licenseModel: "general-public-license" },
  postgres: { port: 5432, defaultVersion: "15.10", server: "postgres", dataPath: "/var/lib/postgresql/data", parameterGroupFamily: (version) => `postgres${version.split(".")[0]}`, licenseModel: "postgresql-license" },
};

function majorMinor(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

export function engineFacts(engine: string): EngineFacts | undefined {
  return Object.hasOwn(engines, engine) ? engines[engine as EngineName] : undefined;
}

export const supportedEngines = Object.keys(engines) as EngineName[];

/**
 * The statuses Moor's instances pass through. creating → backing-up → available; modifying,
 * rebooting, stopping → stopped → starting, deleting as their operations ask; failed when its
 * server cannot be made (its image failed to build), which only a delete leaves.
 */
export type DBInstanceStatus = "creating" | "backing-up" | "available" | "modifying" | "rebooting" | "stopping" | "stopped" | "starting" | "deleting" | "failed";

/** Statuses in which the instance's server should run. */
export function wantsServer(status: DBInstanceStatus): boolean {
  return status !== "stopping" && status !== "stopped" && status !== "deleting" && status !== "failed";
}

export interface DBInstanceSpec {
  identifier: string;
  instanceClass: string;
  engine: EngineName;
  engineVersion: string;
  masterUsername: string;
  masterUserPassword: string;
  dbName?: string;
  allocatedStorageGiB: number;
  storageType: string;
  port: number;
  subnetGroupName: string;
  vpcId: string;
  availabilityZone: string;
  subnetId: string;
  securityGroupIds: string[];
  publiclyAccessible: boolean;
  multiAz: boolean;
  backupRetentionPeriod: number;
  deletionProtection: boolean;
  dbiResourceId: string;
  createTime: string;
  tags: { Key: string; Value: string }[];
}

export interface DBInstanceState {
  status: DBInstanceStatus;
  /** The pod's address, once the server answered: the endpoint's A record. */
  address?: string;
  /** When the status last changed (ISO), for the short backing-up step. */
  since: string;
  /** Counts reboots asked for: the controller restarts the server when it grows. */
  rebootGeneration?: number;
  /** The sandbox (pod uid) that answered last, and since when. */
  serverUid?: string;
  serverReadyAt?: string;
  /** The node its sandbox last ran on: the next sandbox asks for it, so the address stays. */
  nodeName?: string;
  /** Set by DeleteDBInstance. */
  finalSnapshotIdentifier?: string;
  /** Why the instance is `failed`. */
  failure?: string;
}

export interface DBInstanceObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; resourceVersion?: string; uid?: string };
  spec: DBInstanceSpec;
  status: DBInstanceState;
}

export interface DBSubnetGroupSpec {
  name: string;
  description: string;
  vpcId: string;
  subnets: { subnetId: string; availabilityZone: string }[];
  tags: { Key: string; Value: string }[];
}

export interface DBSubnetGroupObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: DBSubnetGroupSpec;
}

/**
 * The middle token of every endpoint of the account in the region: 12 lower-case letters and
 * digits, fixed (a pure hash of both), as RDS's is.
 */
export function endpointToken(accountId: string, region: string): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let state = 2166136261;
  let token = "";
  for (let round = 0; token.length < 12; round++) {
    for (const char of `${accountId}/${region}/${round}`) state = Math.imul(state ^ char.charCodeAt(0), 16777619) >>> 0;
    token += alphabet[state % alphabet.length];
  }
  return token;
}

export function endpointAddress(identifier: string, token: string, region: string): string {
  return `${identifier.toLowerCase()}.${token}.${region}.rds.amazonaws.com`;
}

/** The Route 53 zone RDS endpoints live in, per region (us-east-1's; others share its shape). */
export function endpointHostedZoneId(region: string): string {
  return region === "us-east-1" ? "Z2R2ITUGPM61AM" : "Z1PVIF0B656C1W";
}

/** A DbiResourceId: "db-" and 26 upper-case letters and digits from a hex seed. */
export function dbiResourceIdFrom(hexSeed: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let id = "";
  for (let index = 0; id.length < 26; index++) id += alphabet[parseInt(hexSeed[index % hexSeed.length] ?? "0", 16) * 2 + (index % 2)];
  return `db-${id}`;
}

/** The sandbox size of a DB instance class (db.<family>.<size>): vCPUs and memory as AWS sizes them. */
export function classResources(instanceClass: string): { cpu: number; memoryMiB: number } {
  const size = instanceClass.split(".")[2] ?? "micro";
  const family = instanceClass.split(".")[1] ?? "t3";
  const memoryPerCpuGiB = family.startsWith("r") ? 8 : family.startsWith("m") ? 4 : 0;
  const burstable: Record<string, { cpu: number; memoryMiB: number }> = {
    micro: { cpu: 2, memoryMiB: 1024 },
    small: { cpu: 2, memoryMiB: 2048 },
    medium: { cpu: 2, memoryMiB: 4096 },
    large: { cpu: 2, memoryMiB: 8192 },
    xlarge: { cpu: 4, memoryMiB: 16384 },
  };
  const scaled = /^(\d+)xlarge$/.exec(size);
  const cpu = scaled ? 4 * Number(scaled[1]) : burstable[size]?.cpu ?? 2;
  if (memoryPerCpuGiB > 0) return { cpu, memoryMiB: Math.min(cpu * memoryPerCpuGiB * 1024, 122880) };
  return burstable[size] ?? { cpu, memoryMiB: Math.min(cpu * 4096, 122880) };
}
