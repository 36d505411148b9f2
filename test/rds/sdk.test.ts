// RDS end to end with the JavaScript SDK v3 (a strict client): a subnet group (one zone is
// refused), a MySQL instance (MariaDB 10.11, its server image built by Moor on this first
// create) that goes creating → available with no Endpoint before, a client pod and the mariadb
// client on the host that connect by the endpoint's name, the data kept across a reboot, a
// stop and start, a storage and class change and a restart of Moor, and an instance whose
// security group refuses the client.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  type DBInstance,
  ModifyDBInstanceCommand,
  RDSClient,
  RebootDBInstanceCommand,
  StartDBInstanceCommand,
  StopDBInstanceCommand,
} from "@aws-sdk/client-rds";
import { CreateSecurityGroupCommand, EC2Client } from "@aws-sdk/client-ec2";
import { type MoorUnderTest, run, startMoor } from "../harness.js";
import { kubectl, waitFor } from "../kubectl.js";
import { firstAvailableMs, inClient, serverImages, startClient } from "./_rds.js";

const enabled = process.env.MOOR_TEST_EXAMPLE_IMAGES !== "0";
const subnets = ["subnet-042a0000000000001", "subnet-042a0000000000002"];
const password = "Sup3rSecret!";

describe("RDS through the JavaScript SDK", { skip: !enabled && "MOOR_TEST_EXAMPLE_IMAGES=0" }, () => {
  let moor: MoorUnderTest;
  let rds: RDSClient;
  let ec2: EC2Client;
  before(async () => {
    moor = await startMoor();
    const client = { endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: moor.env.AWS_ACCESS_KEY_ID!, secretAccessKey: moor.env.AWS_SECRET_ACCESS_KEY! } };
    rds = new RDSClient(client);
    ec2 = new EC2Client(client);
  });
  after(async () => {
    await moor?.dispose();
  });

  const describeOne = async (): Promise<DBInstance> => (await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: "db-instance-id", Values: ["sdk-db"] }] }))).DBInstances![0]!;
  const availableAgain = () => waitFor("sdk-db to be available", async () => (await describeOne()).DBInstanceStatus === "available", 120_000);
  const sql = async (statement: string) => {
    const { Endpoint } = await describeOne();
    const result = await inClient(moor, "client", ["mariadb", "-h", Endpoint!.Address!, "-P", String(Endpoint!.Port), "-u", "admin", `-p${password}`, "--connect-timeout=3", "-N", "-e", statement, "wordpress"]);
    if (result.code !== 0) {
      // What a failure needs to be understood: where the sandbox is and what the client resolves.
      const pods = await kubectl(moor, ["get", "pods", "-A", "-o", "wide", "--no-headers"]);
      const resolved = await inClient(moor, "client", ["getent", "hosts", Endpoint!.Address!]);
      console.log(`# ${statement}: ${result.stderr.trim()} (${Endpoint!.Address} → ${resolved.stdout.trim()})\n${pods.stdout}`);
    }
    return result;
  };

  it("refuses a subnet group in one zone and creates an instance that is available with its endpoint only once it answers", async () => {
    await assert.rejects(rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "one", DBSubnetGroupDescription: "one zone", SubnetIds: [subnets[0]!] })), { name: "DBSubnetGroupDoesNotCoverEnoughAZs" });
    await rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "wp", DBSubnetGroupDescription: "WordPress", SubnetIds: subnets }));
    const startedAt = Date.now();
    const created = (await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: "sdk-db", DBName: "wordpress", AllocatedStorage: 20, DBInstanceClass: "db.t3.micro", Engine: "mysql", MasterUsername: "admin", MasterUserPassword: password, DBSubnetGroupName: "wp", PubliclyAccessible: false }))).DBInstance!;
    assert.equal(created.DBInstanceStatus, "creating");
    assert.equal(created.Endpoint, undefined);
    const seen = new Set<string>();
    await waitFor("sdk-db to be available", async () => {
      const instance = await describeOne();
      seen.add(instance.DBInstanceStatus!);
      if (instance.DBInstanceStatus !== "available") assert.equal(instance.Endpoint?.Address === undefined || instance.DBInstanceStatus === "backing-up", true);
      return instance.DBInstanceStatus === "available";
    }, firstAvailableMs);
    console.log(`# create → available in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (statuses seen: ${[...seen].join(", ")})`);
    const instance = await describeOne();
    assert.match(instance.Endpoint!.Address!, /^sdk-db\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/);
    assert.equal(instance.VpcSecurityGroups![0]!.VpcSecurityGroupId, "sg-042a0000000000001");
    assert.ok(subnets.some((subnet) => instance.DBSubnetGroup!.Subnets!.some((listed) => listed.SubnetIdentifier === subnet)));
  });

  it("lets a client pod connect by the endpoint's name as the master user, into the initial database", async () => {
    await startClient(moor, "client", serverImages.mariadb);
    const created = await sql("CREATE TABLE records (value VARCHAR(20)); INSERT INTO records VALUES ('kept'); SELECT value FROM records");
    assert.equal(created.stdout.trim(), "kept", created.stderr);
  });

  it("lets the mariadb client on the host connect by the endpoint's name and read the initial database", async () => {
    const { Endpoint } = await describeOne();
    const resolved = await run("getent", ["hosts", Endpoint!.Address!]);
    assert.match(resolved.stdout, /^127\.\d+\.\d+\.\d+\s/, "the endpoint resolves to a loopback address of the host");
    const fromHost = await run("mariadb", ["-h", Endpoint!.Address!, "-P", String(Endpoint!.Port), "-u", "admin", `-p${password}`, "--connect-timeout=5", "-N", "-e", "SELECT DATABASE(), value FROM records", "wordpress"], { timeoutMs: 30_000 });
    assert.equal(fromHost.stdout.trim(), "wordpress\tkept", fromHost.stderr);
    const wrong = await run("mariadb", ["-h", Endpoint!.Address!, "-u", "admin", "-pnot-the-password", "--connect-timeout=5", "-e", "SELECT 1"], { timeoutMs: 30_000 });
    assert.match(wrong.stderr, /Access denied for user 'admin'/);
  });

  it("keeps the data across a reboot, a stop and start, more storage and a larger class, and a restart of Moor", async () => {
    await rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "sdk-db" }));
    await availableAgain();
    assert.equal((await sql("SELECT value FROM records")).stdout.trim(), "kept");
    await rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: "sdk-db" }));
    await waitFor("sdk-db to stop", async () => (await describeOne()).DBInstanceStatus === "stopped", 120_000);
    await rds.send(new StartDBInstanceCommand({ DBInstanceIdentifier: "sdk-db" }));
    await availableAgain();
    const modified = (await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "sdk-db", AllocatedStorage: 25, DBInstanceClass: "db.t3.small", ApplyImmediately: true }))).DBInstance!;
    assert.equal(modified.DBInstanceStatus, "modifying");
    await availableAgain();
    const after = await describeOne();
    assert.deepEqual([after.AllocatedStorage, after.DBInstanceClass], [25, "db.t3.small"]);
    assert.equal((await sql("SELECT value FROM records")).stdout.trim(), "kept");
    await moor.stop();
    await moor.start();
    await availableAgain();
    assert.equal((await sql("SELECT value FROM records")).stdout.trim(), "kept");
    const { Endpoint } = await describeOne();
    const fromHost = await run("mariadb", ["-h", Endpoint!.Address!, "-u", "admin", `-p${password}`, "--connect-timeout=5", "-N", "-e", "SELECT value FROM records", "wordpress"], { timeoutMs: 30_000 });
    assert.equal(fromHost.stdout.trim(), "kept", `the host reaches the endpoint after a restart of Moor: ${fromHost.stderr}`);
  });

  it("refuses a client pod outside the groups of an instance whose only group allows nothing in", async () => {
    const vpcId = (await describeOne()).DBSubnetGroup!.VpcId!;
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "db-closed", Description: "nothing in", VpcId: vpcId }));
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: "closed-db", DBName: "wordpress", AllocatedStorage: 20, DBInstanceClass: "db.t3.micro", Engine: "mysql", MasterUsername: "admin", MasterUserPassword: password, DBSubnetGroupName: "wp", VpcSecurityGroupIds: [GroupId!] }));
    const closed = await waitFor("closed-db to be available", async () => {
      const instance = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "closed-db" }))).DBInstances![0]!;
      return instance.DBInstanceStatus === "available" && instance;
    }, 120_000);
    assert.deepEqual(closed.VpcSecurityGroups!.map((group) => group.VpcSecurityGroupId), [GroupId]);
    const refused = await inClient(moor, "client", ["mariadb", "-h", closed.Endpoint!.Address!, "-u", "admin", `-p${password}`, "--connect-timeout=3", "-e", "SELECT 1"]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Can't connect to server/);
    assert.equal((await sql("SELECT value FROM records")).stdout.trim(), "kept", "the other instance, in the default group, still answers");
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "closed-db", SkipFinalSnapshot: true }));
  });

  it("needs SkipFinalSnapshot or a final snapshot to delete, then the instance is gone", async () => {
    await assert.rejects(rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "sdk-db" })), { name: "InvalidParameterCombination", message: "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified." });
    assert.equal((await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "sdk-db", SkipFinalSnapshot: true }))).DBInstance!.DBInstanceStatus, "deleting");
    await waitFor("sdk-db to go", async () => {
      try {
        await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "sdk-db" }));
        return false;
      } catch (error) {
        return (error as Error).name === "DBInstanceNotFoundFault";
      }
    }, 60_000);
  });
});
