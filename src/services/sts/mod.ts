// The STS service: GetCallerIdentity (the configured account and Moor's one user, or the
// assumed role of temporary credentials Moor issued), the temporary credentials of a role's
// session (`issueRoleCredentials`, which the ECS task-role endpoint hands to tasks), and the
// check of the tokens `aws eks get-token` makes, which the kube API asks for each bearer token
// that is not its own static one. The AWS front end calls `operations` (query protocol; inputs
// and outputs in the model's member names).

import { expired } from "../../errors/mod.js";
import type { Store } from "../../store/mod.js";
import { type CallerIdentity, callerIdentity } from "./get-caller-identity.js";
import { type RoleCredentials, type RoleSessionRequest, RoleSessions } from "./_sessions.js";
import { type TokenIdentity, verifyEksToken } from "./verify-token.js";

export type { CallerIdentity } from "./get-caller-identity.js";
export { type RoleCredentials, type RoleSessionRequest, sessionDurationDefaultSeconds, sessionsMax } from "./_sessions.js";
export { type TokenIdentity, tokenLifetimeMs, tokenPrefix } from "./verify-token.js";

export interface StsServiceOptions {
  accountId: string;
  /** The secret of an access key Moor issued (the pair `moor env` exports), or undefined. */
  secretOf(accessKeyId: string): string | undefined;
  /** The clusters a token may be for (the EKS service's). */
  clusterNames(): string[];
  /** IAM's unique id of a role (AROA...), when the role exists. */
  roleId?(roleArn: string): string | undefined;
  /** Where issued sessions are kept across restarts; in memory only without it. */
  store?: Store;
  now?: () => Date;
}

export interface StsService {
  readonly name: "sts";
  readonly operations: { GetCallerIdentity(input?: unknown, context?: { principal?: string }): CallerIdentity };
  /** The identity behind an `aws eks get-token` token; Forbidden (code InvalidToken) when it is not good. */
  verifyEksToken(token: string): TokenIdentity;
  /** New temporary credentials acting as the role, for a session of that name. */
  issueRoleCredentials(request: RoleSessionRequest): RoleCredentials;
}

export function createStsService(options: StsServiceOptions): StsService {
  const now = options.now ?? (() => new Date());
  const sessions = new RoleSessions(options.roleId ?? (() => undefined), options.store);
  const secretOf = (key: string) => sessions.secretOf(key, now().getTime()) ?? options.secretOf(key);
  const identity = (context?: { principal?: string }): CallerIdentity => {
    const session = context?.principal ? sessions.identityOf(context.principal, now().getTime()) : undefined;
    if (session === "expired") throw expired("The security token included in the request is expired", { code: "ExpiredToken" });
    return session ?? callerIdentity(options.accountId);
  };
  return {
    name: "sts",
    operations: { GetCallerIdentity: (_input, context) => identity(context) },
    verifyEksToken: (token) => verifyEksToken({ accountId: options.accountId, secretOf, clusterNames: options.clusterNames, now }, token),
    issueRoleCredentials: (request) => sessions.issue(request, now().getTime()),
  };
}
