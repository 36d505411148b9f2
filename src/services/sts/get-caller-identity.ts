// GetCallerIdentity: who is calling. Moor has one principal, the IAM user `moor` of the
// configured account, whatever credentials signed the request (the AWS front end accepts any).

export interface CallerIdentity {
  UserId: string;
  Account: string;
  Arn: string;
}

export const userName = "moor";

export function callerIdentity(accountId: string): CallerIdentity {
  // IAM user ids are "AIDA" and 17 upper-case letters or digits; this one is fixed per account.
  const userId = `AIDA${`MOOR${accountId}`.toUpperCase().replace(/[^A-Z0-9]/g, "").padEnd(17, "0").slice(0, 17)}`;
  return { UserId: userId, Account: accountId, Arn: `arn:aws:iam::${accountId}:user/${userName}` };
}
