// What every EFS operation works with: the store, the account and region, the embedded VPC and
// its zones, the index, and a source of random hex for ids.

import type { Zone } from "../../domain/efs/mod.js";
import type { Vpc } from "../../domain/network/mod.js";
import { securityGroupKind } from "../../domain/securitygroups/mod.js";
import type { Store } from "../../store/mod.js";
import type { EfsIndex } from "./_index.js";

export interface EfsContext {
  store: Store;
  region: string;
  accountId: string;
  vpc: Vpc;
  zones: Zone[];
  index: EfsIndex;
  /** 16 random hex digits, for new ids. */
  randomHex(): string;
}

/** Whether the EC2 service holds this security group in the embedded VPC. */
export function isVpcSecurityGroup(context: EfsContext, groupId: string): boolean {
  return context.store.get({ kind: securityGroupKind, name: groupId })?.spec?.vpcId === context.vpc.vpcId;
}
