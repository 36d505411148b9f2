import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMemoryStore, type Store } from "../../store/mod.js";
import { createEc2Service } from "../ec2/mod.js";
import { createRdsService } from "./mod.js";

const at = new Date("2026-01-01T00:00:00Z");

function setUp() {
  const store: Store = createMemoryStore();
  createEc2Service({ store, region: "us-east-1", accountId: "000000000000", clusterName: "moor" }).ensureEmbeddedObjects();
  const rds = createRdsService({ store, region: "us-east-1", accountId: "000000000000", now: () => at, randomHex: (count) => "a".repeat(count) });
  const call = (operation: string, input: unknown) => rds.operations[operation]!(input) as any;
  return { store, call };
}

const twoZones = ["subnet-042a0000000000001", "subnet-042a0000000000002"];
const instanceInput = { DBInstanceIdentifier: "WP-db", DBInstanceClass: "db.t3.micro", Engine: "mysql", MasterUsername: "admin", MasterUserPassword: "Sup3rSecret!", AllocatedStorage: 20, DBName: "wordpress", DBSubnetGroupName: "wp" };

function refusal(action: () => unknown): { code?: string; message: string } {
  try {
    action();
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  assert.fail("expected a refusal");
}

describe("RDS service", () => {
  it("refuses a DB subnet group covering one zone with RDS's DBSubnetGroupDoesNotCoverEnoughAZs text", () => {
    const { call } = setUp();
    assert.deepEqual(refusal(() => call("CreateDBSubnetGroup", { DBSubnetGroupName: "wp", DBSubnetGroupDescription: "d", SubnetIds: ["subnet-042a0000000000001"] })), {
      code: "DBSubnetGroupDoesNotCoverEnoughAZs",
      message: "The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: us-east-1a. Add subnets to cover at least 2 AZs.",
    });
    const created = call("CreateDBSubnetGroup", { DBSubnetGroupName: "WP", DBSubnetGroupDescription: "d", SubnetIds: twoZones }).DBSubnetGroup;
    assert.equal(created.DBSubnetGroupName, "wp");
    assert.equal(created.SubnetGroupStatus, "Complete");
    assert.deepEqual(created.Subnets.map((subnet: any) => subnet.SubnetAvailabilityZone.Name), ["us-east-1a", "us-east-1b"]);
    assert.equal(refusal(() => call("CreateDBSubnetGroup", { DBSubnetGroupName: "wp", DBSubnetGroupDescription: "d", SubnetIds: twoZones })).code, "DBSubnetGroupAlreadyExists");
  });

  it("creates an instance lower-cased, creating, with no Endpoint, in a zone of its group and the VPC's default group", () => {
    const { call } = setUp();
    call("CreateDBSubnetGroup", { DBSubnetGroupName: "wp", DBSubnetGroupDescription: "d", SubnetIds: twoZones });
    const instance = call("CreateDBInstance", instanceInput).DBInstance;
    assert.equal(instance.DBInstanceIdentifier, "wp-db");
    assert.equal(instance.DBInstanceStatus, "creating");
    assert.equal(instance.Endpoint, undefined);
    assert.ok(["us-east-1a", "us-east-1b"].includes(instance.AvailabilityZone));
    assert.deepEqual(instance.VpcSecurityGroups, [{ VpcSecurityGroupId: "sg-042a0000000000001", Status: "active" }]);
    assert.equal(instance.DBParameterGroups[0].DBParameterGroupName, "default.mysql8.0");
    assert.match(instance.DbiResourceId, /^db-[A-Z2-7]{26}$/);
    assert.equal(refusal(() => call("CreateDBInstance", instanceInput)).code, "DBInstanceAlreadyExists");
  });

  it("shows the endpoint once available, and finds instances by identifier or by a db-instance-id filter as Terraform polls", () => {
    const { store, call } = setUp();
    call("CreateDBSubnetGroup", { DBSubnetGroupName: "wp", DBSubnetGroupDescription: "d", SubnetIds: twoZones });
    call("CreateDBInstance", instanceInput);
    const stored = store.get({ kind: "DBInstance", name: "wp-db" })!;
    store.update({ ...stored, status: { ...stored.status, status: "available", address: "10.42.0.9" } });
    const [byId] = call("DescribeDBInstances", { DBInstanceIdentifier: "wp-db" }).DBInstances;
    assert.match(byId.Endpoint.Address, /^wp-db\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/);
    assert.equal(byId.Endpoint.Port, 3306);
    const filtered = call("DescribeDBInstances", { Filters: [{ Name: "db-instance-id", Values: ["arn:aws:rds:us-east-1:000000000000:db:wp-db"] }] }).DBInstances;
    assert.equal(filtered.length, 1);
    assert.equal(call("DescribeDBInstances", { Filters: [{ Name: "db-instance-id", Values: ["other"] }] }).DBInstances.length, 0);
    assert.deepEqual(refusal(() => call("DescribeDBInstances", { DBInstanceIdentifier: "nope" })), { code: "DBInstanceNotFound", message: "DBInstance nope not found." });
  });

  it("checks the engine's rules: engine, master user, password, storage and database name", () => {
    const { call } = setUp();
    call("CreateDBSubnetGroup", { DBSubnetGroupName: "wp", DBSubnetGroupDescription: "d", SubnetIds: twoZones });
    assert.equal(refusal(() => call("CreateDBInstance", { ...instanceInput, Engine: "oracle-ee" })).message, "Invalid DB engine: oracle-ee");
    assert.match(refusal(() => call("CreateDBInstance", { ...instanceInput, MasterUserPassword: "a/b@cdefgh" })).message, /^The parameter MasterUserPassword is not a valid password/);
    assert.match(refusal(() => call("CreateDBInstance", { ...instanceInput, AllocatedStorage: 5 })).message, /^Invalid storage size/);
    assert.equal(refusal(() => call("CreateDBInstance", { ...instanceInput, DBName: "1db" })).message, "DBName must begin with a letter and contain only alphanumeric characters.");
    assert.equal(refusal(() => call("CreateDBInstance", { ...instanceInput, DBInstanceIdentifier: "a--b" })).code, "InvalidParameterValue");
    const postgres = call("CreateDBInstance", { ...instanceInput, DBInstanceIdentifier: "pg", Engine: "postgres", MasterUsername: "app" }).DBInstance;
    assert.equal(postgres.DBParameterGroups[0].DBParameterGroupName, "default.postgres15");
  });

  it("needs SkipFinalSnapshot or a final snapshot to delete, and keeps a used subnet group", () => {
    const { call } = setUp();
    call("CreateDBSubnetGroup", { DBSubnetGroupName: "wp", DBSubnetGroupDescription: "d", SubnetIds: twoZones });
    call("CreateDBInstance", instanceInput);
    assert.deepEqual(refusal(() => call("DeleteDBInstance", { DBInstanceIdentifier: "wp-db" })), {
      code: "InvalidParameterCombination",
      message: "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
    });
    assert.equal(refusal(() => call("DeleteDBSubnetGroup", { DBSubnetGroupName: "wp" })).code, "InvalidDBSubnetGroupStateFault");
    assert.equal(call("DeleteDBInstance", { DBInstanceIdentifier: "wp-db", SkipFinalSnapshot: true }).DBInstance.DBInstanceStatus, "deleting");
  });

  it("reboots, stops and modifies only an available instance, and starts a stopped one", () => {
    const { store, call } = setUp();
    call("CreateDBSubnetGroup", { DBSubnetGroupName: "wp", DBSubnetGroupDescription: "d", SubnetIds: twoZones });
    call("CreateDBInstance", instanceInput);
    assert.equal(refusal(() => call("RebootDBInstance", { DBInstanceIdentifier: "wp-db" })).code, "InvalidDBInstanceState");
    const stored = store.get({ kind: "DBInstance", name: "wp-db" })!;
    store.update({ ...stored, status: { ...stored.status, status: "available" } });
    const modified = call("ModifyDBInstance", { DBInstanceIdentifier: "wp-db", DBInstanceClass: "db.t3.small", AllocatedStorage: 30 }).DBInstance;
    assert.deepEqual([modified.DBInstanceStatus, modified.DBInstanceClass, modified.AllocatedStorage], ["modifying", "db.t3.small", 30]);
    const again = store.get({ kind: "DBInstance", name: "wp-db" })!;
    store.update({ ...again, status: { ...again.status, status: "available" } });
    assert.equal(call("StopDBInstance", { DBInstanceIdentifier: "wp-db" }).DBInstance.DBInstanceStatus, "stopping");
    const stopping = store.get({ kind: "DBInstance", name: "wp-db" })!;
    store.update({ ...stopping, status: { ...stopping.status, status: "stopped" } });
    assert.equal(call("StartDBInstance", { DBInstanceIdentifier: "wp-db" }).DBInstance.DBInstanceStatus, "starting");
  });

  it("lists, adds and removes tags by the instance's ARN", () => {
    const { call } = setUp();
    call("CreateDBSubnetGroup", { DBSubnetGroupName: "wp", DBSubnetGroupDescription: "d", SubnetIds: twoZones });
    call("CreateDBInstance", { ...instanceInput, Tags: [{ Key: "Name", Value: "wp" }] });
    const arn = "arn:aws:rds:us-east-1:000000000000:db:wp-db";
    call("AddTagsToResource", { ResourceName: arn, Tags: [{ Key: "env", Value: "test" }] });
    call("RemoveTagsFromResource", { ResourceName: arn, TagKeys: ["Name"] });
    assert.deepEqual(call("ListTagsForResource", { ResourceName: arn }).TagList, [{ Key: "env", Value: "test" }]);
  });
});
