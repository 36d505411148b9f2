// What every EC2 operation works with: the store, the embedded VPC (its three private subnets
// carry the pods), the cluster's name, the account, and a source of random hex for new ids.
// `CallContext` is what the AWS front end passes with each request.

import { MoorError, type ErrorCategory } from "../../errors/mod.js";
import type { Vpc } from "../../domain/network/mod.js";
import type { Store } from "../../store/mod.js";

export interface Ec2Context {
  store: Store;
  vpc: Vpc;
  region: string;
  accountId: string;
  clusterName: string;
  /** 17 random hex digits, for new ids. */
  randomHex(): string;
  now(): Date;
  /** What an instance's console printed so far (its pod's log), when wired. */
  console?: (instanceId: string) => Promise<string>;
}

export interface CallContext {
  region: string;
  accountId: string;
  requestId: string;
}

/** An EC2 error: its wire code, AWS's message text, and Moor's category. */
export function ec2Error(category: ErrorCategory, code: string, message: string): MoorError {
  return new MoorError(category, message, { code });
}

export function newId(context: Ec2Context, prefix: string): string {
  return `${prefix}-${context.randomHex()}`;
}
