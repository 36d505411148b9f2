// RDS end to end with the aws CLI v1 (which sends `aws rds` in us-east-1 to rds.amazonaws.com
// whatever AWS_ENDPOINT_URL says: --endpoint-url is passed): the walkthrough's own lines for a
// subnet group and an instance, here PostgreSQL 15 (its server image built by Moor on this first
// create), their `--query` outputs, psql connecting by the endpoint's name from a pod and from
// the host, and delete-db-instance's rules.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { aws, type MoorUnderTest, run, startMoor } from "../harness.js";
import { waitFor } from "../kubectl.js";
import { firstAvailableMs, inClient, serverImages, startClient } from "./_rds.js";

const enabled = process.env.MOOR_TEST_EXAMPLE_IMAGES !== "0";

describe("RDS through the aws CLI", { skip: !enabled && "MOOR_TEST_EXAMPLE_IMAGES=0" }, () => {
  let moor: MoorUnderTest;
  const rds = async (...args: string[]) => {
    const result = await aws(moor, ["rds", "--endpoint-url", moor.awsEndpoint, ...args]);
    return { ...result, text: result.stdout.trim() };
  };
  before(async () => {
    moor = await startMoor();
  });
  after(async () => {
    await moor?.dispose();
  });

  it("creates a PostgreSQL instance with the walkthrough's lines and prints what their --query lines expect", async () => {
    const group = await rds("create-db-subnet-group", "--db-subnet-group-name", "app", "--db-subnet-group-description", "app", "--subnet-ids", '["subnet-042a0000000000002","subnet-042a0000000000003"]');
    assert.equal(group.code, 0, group.stderr);
    const created = await rds("create-db-instance", "--db-name", "appdb", "--db-instance-identifier", "app-db", "--allocated-storage", "20", "--db-instance-class", "db.t3.micro", "--engine", "postgres", "--master-username", "app", "--master-user-password", "Sup3rSecret!", "--db-subnet-group-name", "app", "--no-publicly-accessible", "--query", "DBInstance.DBInstanceStatus", "--output", "text");
    assert.equal(created.text, "creating", created.stderr);
    const pending = await rds("describe-db-instances", "--db-instance-identifier", "app-db", "--query", "DBInstances[].Endpoint.Address", "--output", "text");
    assert.equal(pending.text, "", "no endpoint before available");
    await waitFor("app-db to be available", async () => (await rds("describe-db-instances", "--db-instance-identifier", "app-db", "--query", "DBInstances[].DBInstanceStatus", "--output", "text")).text === "available", firstAvailableMs);
    const address = (await rds("describe-db-instances", "--db-instance-identifier", "app-db", "--query", "DBInstances[].Endpoint.Address", "--output", "text")).text;
    assert.match(address, /^app-db\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/);
    assert.equal((await rds("describe-db-instances", "--query", "DBInstances[].VpcSecurityGroups[].VpcSecurityGroupId", "--output", "text")).text, "sg-042a0000000000001");
    assert.equal((await rds("describe-db-instances", "--query", "DBInstances[].Endpoint.Port", "--output", "text")).text, "5432");
    await startClient(moor, "psql", serverImages.postgres);
    const connected = await inClient(moor, "psql", ["psql", `postgresql://app:Sup3rSecret!@${address}:5432/appdb`, "-tAc", "CREATE TABLE t (v int); INSERT INTO t VALUES (7); SELECT v FROM t"]);
    assert.equal(connected.stdout.trim().split("\n").at(-1), "7", connected.stderr);
    const fromHost = await run("psql", [`postgresql://app:Sup3rSecret!@${address}:5432/appdb`, "-tAc", "SELECT current_database(), v FROM t"], { timeoutMs: 30_000 });
    assert.equal(fromHost.stdout.trim(), "appdb|7", fromHost.stderr);
  });

  it("refuses delete-db-instance without --skip-final-snapshot or a snapshot, then deletes the instance and its volume", async () => {
    const refused = await rds("delete-db-instance", "--db-instance-identifier", "app-db");
    assert.equal(refused.code, 255);
    assert.match(refused.stderr, /An error occurred \(InvalidParameterCombination\) when calling the DeleteDBInstance operation: FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified\./);
    assert.equal((await rds("delete-db-instance", "--db-instance-identifier", "app-db", "--skip-final-snapshot", "--query", "DBInstance.DBInstanceStatus", "--output", "text")).text, "deleting");
    await waitFor("app-db to go", async () => /DBInstanceNotFound/.test((await rds("describe-db-instances", "--db-instance-identifier", "app-db")).stderr), 60_000);
    await waitFor("its volume to go", async () => JSON.parse((await aws(moor, ["ec2", "describe-volumes"])).stdout).Volumes.length === 0, 60_000);
    assert.equal((await rds("delete-db-subnet-group", "--db-subnet-group-name", "app")).code, 0);
  });
});
