// The RDS service: DB subnet groups and DB instances of the engines mysql, mariadb and postgres
// (Moor runs MariaDB 10.11 for mysql and mariadb, PostgreSQL 15 for postgres, from Debian).
// Objects live in the store as kinds DBSubnetGroup and DBInstance (group rds.moor.dev); the RDS
// controller (src/controllers/rds) runs each instance's server as a Pod in namespace `aws-rds`
// on a block volume and moves it through its lifecycle.
//
// `createRdsService` returns a service module for the AWS front end: `{ name: "rds",
// operations }`, each operation taking the input in the model's member names and returning the
// output likewise, throwing MoorErrors with RDS's codes (DBInstanceNotFound,
// DBSubnetGroupDoesNotCoverEnoughAZs, InvalidParameterCombination, ...).

import { randomBytes } from "node:crypto";
import type { Store } from "../../store/mod.js";
import type { RdsContext } from "./_context.js";
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from "./_tags.js";
import { createDBInstance } from "./create-db-instance.js";
import { createDBSubnetGroup } from "./create-db-subnet-group.js";
import { deleteDBInstance } from "./delete-db-instance.js";
import { deleteDBSubnetGroup } from "./delete-db-subnet-group.js";
import { describeDBInstances } from "./describe-db-instances.js";
import { describeDBSubnetGroups } from "./describe-db-subnet-groups.js";
import { modifyDBInstance } from "./modify-db-instance.js";
import { rebootDBInstance } from "./reboot-db-instance.js";
import { startDBInstance } from "./start-db-instance.js";
import { stopDBInstance } from "./stop-db-instance.js";

export interface RdsServiceOptions {
  store: Store;
  region: string;
  accountId: string;
  now?: () => Date;
  randomHex?: (count: number) => string;
}

/** `any`: each operation types its own input, which the front end has checked against the model. */
type Operation = (input: any) => unknown;

export interface RdsService {
  name: "rds";
  operations: Record<string, Operation>;
}

export function createRdsService(options: RdsServiceOptions): RdsService {
  const context: RdsContext = {
    store: options.store,
    region: options.region,
    accountId: options.accountId,
    now: options.now ?? (() => new Date()),
    randomHex: options.randomHex ?? ((count) => randomBytes(Math.ceil(count / 2)).toString("hex").slice(0, count)),
  };
  const bind = <I, O>(operation: (context: RdsContext, input: I) => O) => (input: I) => operation(context, input);
  return {
    name: "rds",
    operations: {
      AddTagsToResource: bind(addTagsToResource),
      CreateDBInstance: bind(createDBInstance),
      CreateDBSubnetGroup: bind(createDBSubnetGroup),
      DeleteDBInstance: bind(deleteDBInstance),
      DeleteDBSubnetGroup: bind(deleteDBSubnetGroup),
      DescribeDBInstances: bind(describeDBInstances),
      DescribeDBSubnetGroups: bind(describeDBSubnetGroups),
      ListTagsForResource: bind(listTagsForResource),
      ModifyDBInstance: bind(modifyDBInstance),
      RebootDBInstance: bind(rebootDBInstance),
      RemoveTagsFromResource: bind(removeTagsFromResource),
      StartDBInstance: bind(startDBInstance),
      StopDBInstance: bind(stopDBInstance),
    },
  };
}
