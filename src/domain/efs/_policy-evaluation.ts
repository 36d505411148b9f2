// Evaluates a file-system policy for one NFS client request, as IAM does for a resource policy:
// an explicit Deny wins, otherwise at least one Allow is needed. With no explicit policy the
// default applies: every client that reaches a mount target gets full access.

import type { ConditionClause, ParsedPolicy, PolicyStatement, Principals } from "./_policy.js";
import { parsePolicy } from "./_policy.js";

export type ClientAction = "ClientMount" | "ClientWrite" | "ClientRootAccess";

export interface PolicyRequest {
  action: ClientAction;
  /** ARN of the access point used for the mount, if any. */
  accessPointArn?: string;
  /** Whether the client connected with TLS (`aws:SecureTransport`). */
  secureTransport: boolean;
  /** Whether the client came through a mount target (`elasticfilesystem:AccessedViaMountTarget`). */
  accessedViaMountTarget: boolean;
  /** The client's IAM identity; absent for anonymous clients (mounts without `-o iam`). */
  principalArn?: string;
  /** The file system's ARN, matched against Resource; when absent Resource is not checked. */
  fileSystemArn?: string;
}

export type PolicyDecision = "allow" | "deny";

/** The decision for `request`; `policy` is the stored JSON text, a parsed policy, or absent. */
export function evaluatePolicy(policy: string | ParsedPolicy | undefined, request: PolicyRequest): PolicyDecision {
  if (policy === undefined) return "allow";
  let parsed: ParsedPolicy;
  try {
    parsed = typeof policy === "string" ? parsePolicy(policy, "Cannot evaluate file system policy") : policy;
  } catch {
    // A stored policy is checked when it is put; one that no longer parses grants nothing.
    return "deny";
  }
  return decide(parsed, { ...contextOf(request), action: `elasticfilesystem:${request.action}` });
}

export interface EvaluationContext {
  /** Full action name, e.g. "elasticfilesystem:ClientMount". */
  action: string;
  principalArn?: string;
  resourceArn?: string;
  keys: Map<string, string>;
}

/** The IAM decision for a full context: explicit Deny wins, then any Allow, else deny. */
export function decide(policy: ParsedPolicy, context: EvaluationContext): PolicyDecision {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!applies(statement, context)) continue;
    if (statement.effect === "Deny") return "deny";
    allowed = true;
  }
  return allowed ? "allow" : "deny";
}

/** Whether some statement explicitly denies `context` (the lockout safety check's question). */
export function explicitlyDenies(policy: ParsedPolicy, context: EvaluationContext): boolean {
  return policy.statements.some((statement) => statement.effect === "Deny" && applies(statement, context));
}

function contextOf(request: PolicyRequest): Omit<EvaluationContext, "action"> {
  const keys = new Map<string, string>([
    ["aws:securetransport", String(request.secureTransport)],
    ["elasticfilesystem:accessedviamounttarget", String(request.accessedViaMountTarget)],
  ]);
  if (request.accessPointArn !== undefined) keys.set("elasticfilesystem:accesspointarn", request.accessPointArn);
  if (request.principalArn !== undefined) {
    keys.set("aws:principalarn", request.principalArn);
    const account = accountOf(request.principalArn);
    if (account) keys.set("aws:principalaccount", account);
  }
  return { principalArn: request.principalArn, resourceArn: request.fileSystemArn, keys };
}

function applies(statement: PolicyStatement, context: EvaluationContext): boolean {
  if (statement.principals !== undefined && !principalMatches(statement.principals, context.principalArn)) return false;
  if (statement.notPrincipals !== undefined && principalMatches(statement.notPrincipals, context.principalArn)) return false;
  if (statement.actions && !statement.actions.some((pattern) => wildcardMatch(pattern, context.action, true))) return false;
  if (statement.notActions && statement.notActions.some((pattern) => wildcardMatch(pattern, context.action, true))) return false;
  if (context.resourceArn !== undefined) {
    const resource = context.resourceArn;
    if (statement.resources && !statement.resources.some((pattern) => wildcardMatch(pattern, resource, false))) return false;
    if (statement.notResources && statement.notResources.some((pattern) => wildcardMatch(pattern, resource, false))) return false;
  }
  return statement.conditions.every((clause) => conditionHolds(clause, context.keys));
}

function principalMatches(principals: Principals, principalArn: string | undefined): boolean {
  if (principals === "*") return true;
  if (principalArn === undefined) return false;
  const account = accountOf(principalArn);
  return principals.some((principal) => {
    if (principal === principalArn) return true;
    // An account (id or its root ARN) stands for every identity in that account.
    const accountPrincipal = /^(\d{12})$|^arn:aws[-a-z]*:iam::(\d{12}):root$/.exec(principal);
    return accountPrincipal !== null && (accountPrincipal[1] ?? accountPrincipal[2]) === account;
  });
}

function conditionHolds(clause: ConditionClause, keys: Map<string, string>): boolean {
  const value = keys.get(clause.key);
  if (clause.operator === "null") {
    const wantsMissing = clause.values.some((item) => item.toLowerCase() === "true");
    return wantsMissing === (value === undefined);
  }
  const negated = clause.operator.includes("not");
  if (value === undefined) return clause.ifExists || negated;
  const matched = clause.values.some((expected) => valueMatches(clause.operator.replace("not", ""), expected, value));
  return negated ? !matched : matched;
}

function valueMatches(operator: string, expected: string, actual: string): boolean {
  switch (operator) {
    case "stringequals":
      return expected === actual;
    case "stringequalsignorecase":
      return expected.toLowerCase() === actual.toLowerCase();
    case "stringlike":
    case "arnlike":
    case "arnequals":
      return wildcardMatch(expected, actual, false);
    case "bool":
      return expected.toLowerCase() === actual.toLowerCase();
    default:
      return false;
  }
}

/** IAM wildcards: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, text: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(text);
}

function accountOf(arn: string): string | undefined {
  return /^arn:aws[-a-z]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
}

/**
 * The lockout safety check: a policy must not explicitly deny the caller (the account, over the
 * API's TLS) future PutFileSystemPolicy calls, unless the caller asked to bypass the check.
 */
export function locksOutCaller(policy: ParsedPolicy, caller: { accountId: string; fileSystemArn: string }): boolean {
  const principalArn = `arn:aws:iam::${caller.accountId}:root`;
  return explicitlyDenies(policy, {
    action: "elasticfilesystem:PutFileSystemPolicy",
    principalArn,
    resourceArn: caller.fileSystemArn,
    keys: new Map([
      ["aws:securetransport", "true"],
      ["aws:principalarn", principalArn],
      ["aws:principalaccount", caller.accountId],
    ]),
  });
}
