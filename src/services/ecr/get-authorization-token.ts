// GetAuthorizationToken and its check: the token is base64 of "AWS:<password>", as `docker
// login -u AWS` and `aws ecr get-login-password` use it, valid 12 hours as on ECR. The password
// is Moor's own: the account and expiry, signed with Moor's secret, so the registry checks it
// without storing tokens and a restart keeps issued tokens valid.

import { createHmac, timingSafeEqual } from "node:crypto";
import type { OperationInput } from "./_operation.js";
import { registryHost, type EcrContext } from "./_context.js";

export const tokenLifetimeMs = 12 * 60 * 60 * 1000;

function signature(context: EcrContext, payload: string): string {
  return createHmac("sha256", context.tokenSecret).update(payload).digest("base64url");
}

export function issuePassword(context: EcrContext): { password: string; expiresAt: Date } {
  const expiresAt = new Date(context.now().getTime() + tokenLifetimeMs);
  const payload = Buffer.from(JSON.stringify({ account: context.accountId, expires: Math.floor(expiresAt.getTime() / 1000) })).toString("base64url");
  return { password: `${payload}.${signature(context, payload)}`, expiresAt };
}

/** Why the registry refuses a user name and password, or undefined when it accepts them. */
export function passwordProblem(context: EcrContext, username: string, password: string): string | undefined {
  if (username !== "AWS") return `the user name must be "AWS", not "${username}"`;
  const [payload = "", signed = ""] = password.split(".");
  const expected = Buffer.from(signature(context, payload));
  const given = Buffer.from(signed);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "the password is not a token this registry issued";
  let claims: { account?: string; expires?: number };
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return "the password is not a token this registry issued";
  }
  if (claims.account !== context.accountId) return `the token is for registry "${claims.account}"`;
  if ((claims.expires ?? 0) * 1000 <= context.now().getTime()) return "Your authorization token has expired. Reauthenticate and try again.";
  return undefined;
}

export function getAuthorizationToken(context: EcrContext, _input: unknown, { region }: OperationInput) {
  const { password, expiresAt } = issuePassword(context);
  return {
    authorizationData: [
      {
        authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"),
        expiresAt,
        proxyEndpoint: `https://${registryHost(context.accountId, region)}`,
      },
    ],
  };
}
