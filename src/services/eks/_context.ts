// What every EKS operation works with: the store, the account and region, the embedded VPC, a
// clock and a source of unique ids (both injected, so tests see fixed values).

import type { Vpc } from "../../domain/network/mod.js";
import type { Store } from "../../store/mod.js";

export interface EksContext {
  store: Store;
  region: string;
  accountId: string;
  vpc: Vpc;
  now(): Date;
  randomUuid(): string;
}

/** The one cluster Moor runs. */
export const clusterName = "moor";
export const eksApiVersion = "eks.moor.dev/v1";
export const fargateProfileKind = "FargateProfile";
export const nodeGroupKind = "NodeGroup";
