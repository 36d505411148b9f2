// The STS service: GetCallerIdentity (the configured account and Moor's one user), and the check
// of the tokens `aws eks get-token` makes, which the kube API asks for each bearer token that
// is not its own static one. The AWS front end calls `operations` (query protocol; inputs and
// outputs in the model's member names).

import { type CallerIdentity, callerIdentity } from "./get-caller-identity.js";
import { type TokenIdentity, verifyEksToken } from "./verify-token.js";

export type { CallerIdentity } from "./get-caller-identity.js";
export { type TokenIdentity, tokenLifetimeMs, tokenPrefix } from "./verify-token.js";

export interface StsServiceOptions {
  accountId: string;
  /** The secret of an access key Moor issued (the pair `moor env` exports), or undefined. */
  secretOf(accessKeyId: string): string | undefined;
  /** The clusters a token may be for (the EKS service's). */
  clusterNames(): string[];
  now?: () => Date;
}

export interface StsService {
  readonly name: "sts";
  readonly operations: { GetCallerIdentity(input?: unknown, context?: unknown): CallerIdentity };
  /** The identity behind an `aws eks get-token` token; Forbidden (code InvalidToken) when it is not good. */
  verifyEksToken(token: string): TokenIdentity;
}

export function createStsService(options: StsServiceOptions): StsService {
  const now = options.now ?? (() => new Date());
  return {
    name: "sts",
    operations: { GetCallerIdentity: () => callerIdentity(options.accountId) },
    verifyEksToken: (token) => verifyEksToken({ accountId: options.accountId, secretOf: options.secretOf, clusterNames: options.clusterNames, now }, token),
  };
}
