// The bearer token `aws eks get-token` makes: "k8s-aws-v1." and the unpadded base64url of a
// presigned STS GetCallerIdentity URL whose signature covers the header `x-k8s-aws-id: <cluster>`.
// EKS's authenticator sends that URL to STS, which checks the signature; Moor is its own STS, so
// it checks the signature here, with the secret of the access key that signed it, for each
// cluster it has. Rules as aws-iam-authenticator applies them: Action GetCallerIdentity,
// X-Amz-Expires from 0 to 900, and the token good until 15 minutes after X-Amz-Date, whatever
// X-Amz-Expires says (kubectl keeps a token for 14 minutes).

import { forbidden, type MoorError } from "../../errors/mod.js";
import { type PresignedUrl, readPresignedUrl, signatureMatches } from "./_presign.js";
import { callerIdentity, type CallerIdentity } from "./get-caller-identity.js";

export const tokenPrefix = "k8s-aws-v1.";
export const tokenBytesMax = 4096;
export const tokenLifetimeMs = 15 * 60_000;
const clusterHeader = "x-k8s-aws-id";

export interface TokenIdentity extends CallerIdentity {
  clusterName: string;
  accessKeyId: string;
}

export interface TokenCheck {
  accountId: string;
  /** The secret of an access key Moor issued, or undefined. */
  secretOf(accessKeyId: string): string | undefined;
  clusterNames(): string[];
  now(): Date;
}

const refuse = (reason: string): MoorError => forbidden(`Cannot verify token: ${reason}`, { code: "InvalidToken" });

export function verifyEksToken(check: TokenCheck, token: string): TokenIdentity {
  if (token.length > tokenBytesMax) throw refuse(`it is longer than ${tokenBytesMax} bytes`);
  if (!token.startsWith(tokenPrefix)) throw refuse(`it does not start with ${JSON.stringify(tokenPrefix)}`);
  const encoded = token.slice(tokenPrefix.length);
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw refuse("it is not base64url");
  const presigned = readPresignedUrl(Buffer.from(encoded, "base64url").toString("utf8"));
  if (typeof presigned === "string") throw refuse(presigned);
  const accessKeyId = checkRequest(presigned, check.now());
  const secret = check.secretOf(accessKeyId);
  if (secret === undefined) throw refuse(`access key ${JSON.stringify(accessKeyId)} is not one Moor issued`);
  const clusterName = check.clusterNames().find((cluster) => signatureMatches(presigned, secret, { [clusterHeader]: cluster }));
  if (clusterName === undefined) throw refuse("its signature matches no cluster Moor has");
  return { ...callerIdentity(check.accountId), clusterName, accessKeyId };
}

/** Checks what the URL asks and when; returns the access key that signed it. */
function checkRequest(presigned: PresignedUrl, now: Date): string {
  const { url, parameters } = presigned;
  if (url.protocol !== "https:" && url.protocol !== "http:") throw refuse(`scheme ${JSON.stringify(url.protocol)} is not https or http`);
  if (url.pathname !== "/") throw refuse(`path ${JSON.stringify(url.pathname)} is not "/"`);
  if (parameters.get("action") !== "GetCallerIdentity") throw refuse("it does not presign GetCallerIdentity");
  if (parameters.get("x-amz-algorithm") !== "AWS4-HMAC-SHA256") throw refuse("it is not signed with AWS4-HMAC-SHA256");
  const signed = (parameters.get("x-amz-signedheaders") ?? "").split(";");
  if (!signed.includes(clusterHeader)) throw refuse(`the client did not sign the ${clusterHeader} header`);
  const unknown = signed.find((name) => name !== "host" && name !== clusterHeader);
  if (unknown !== undefined) throw refuse(`it signs header ${JSON.stringify(unknown)}, which a token cannot carry`);
  const expires = Number(parameters.get("x-amz-expires"));
  if (!Number.isInteger(expires) || expires < 0 || expires > 900) throw refuse(`X-Amz-Expires ${JSON.stringify(parameters.get("x-amz-expires") ?? "")} is not from 0 to 900`);
  const signedAt = parseAmzDate(parameters.get("x-amz-date") ?? "");
  if (signedAt === undefined) throw refuse(`X-Amz-Date ${JSON.stringify(parameters.get("x-amz-date") ?? "")} is not a date`);
  if (now.getTime() > signedAt.getTime() + tokenLifetimeMs) throw refuse(`it expired at ${new Date(signedAt.getTime() + tokenLifetimeMs).toISOString()}`);
  const accessKeyId = (parameters.get("x-amz-credential") ?? "").split("/")[0] ?? "";
  if (!accessKeyId) throw refuse("X-Amz-Credential names no access key");
  return accessKeyId;
}

/** "20261202T055331Z" → the date, or undefined. */
function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
