// Policy documents: checked as IAM checks them on the way in (JSON, a Statement of Allow/Deny
// statements; a trust policy names a Principal, a permissions policy must not), kept as the
// text the client sent, and URL-encoded on the way out as IAM sends them (the CLI decodes them;
// the JavaScript SDK leaves that to its caller).

import { invalid } from "../../errors/mod.js";

export type DocumentKind = "trust" | "permissions";

function malformed(message: string) {
  return invalid(message, { code: "MalformedPolicyDocument" });
}

function statementsOf(document: unknown): Record<string, unknown>[] {
  if (typeof document !== "object" || document === null || Array.isArray(document)) throw malformed("Syntax errors in policy.");
  const statement = (document as Record<string, unknown>).Statement;
  if (statement === undefined) throw malformed("Missing required field Statement");
  const statements = Array.isArray(statement) ? statement : [statement];
  for (const item of statements) {
    if (typeof item !== "object" || item === null || Array.isArray(item)) throw malformed("Syntax errors in policy.");
  }
  return statements as Record<string, unknown>[];
}

/** Throws MalformedPolicyDocument unless `text` is a policy document of `kind`. */
export function checkPolicyDocument(text: string, kind: DocumentKind): void {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw malformed("Syntax errors in policy.");
  }
  for (const statement of statementsOf(document)) {
    if (statement.Effect !== "Allow" && statement.Effect !== "Deny") throw malformed(`Invalid effect: ${String(statement.Effect ?? "")}`);
    if (statement.Action === undefined && statement.NotAction === undefined) throw malformed("Policy statement must contain actions.");
    const principal = statement.Principal !== undefined || statement.NotPrincipal !== undefined;
    if (kind === "trust" && !principal) throw malformed("Missing required field Principal");
    if (kind === "permissions" && principal) throw malformed("Policy document should not specify a principal.");
    if (kind === "trust" && statement.Resource !== undefined) throw malformed("Has prohibited field Resource");
  }
}

/** A document as IAM answers with it: URL-encoded. */
export function encodeDocument(text: string): string {
  return encodeURIComponent(text);
}
