// File-system policies: an IAM resource policy in JSON, parsed and checked the way EFS accepts
// them (InvalidPolicyException otherwise). Evaluation lives in `_policy-evaluation.ts`.

import { quote } from "../../errors/mod.js";
import { efsError } from "./_errors.js";

export type Effect = "Allow" | "Deny";

/** "*" (anyone, including anonymous NFS clients) or a list of principal ARNs / account ids. */
export type Principals = "*" | string[];

export interface ConditionClause {
  /** Operator without its IfExists suffix or set prefix, lower-cased ("stringequals"). */
  operator: string;
  ifExists: boolean;
  /** Condition key, lower-cased ("aws:securetransport"). */
  key: string;
  values: string[];
}

export interface PolicyStatement {
  sid?: string;
  effect: Effect;
  principals?: Principals;
  notPrincipals?: Principals;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  conditions: ConditionClause[];
}

export interface ParsedPolicy {
  version: string;
  statements: PolicyStatement[];
}

export const conditionOperators = new Set([
  "stringequals",
  "stringnotequals",
  "stringequalsignorecase",
  "stringnotequalsignorecase",
  "stringlike",
  "stringnotlike",
  "arnequals",
  "arnnotequals",
  "arnlike",
  "arnnotlike",
  "bool",
  "null",
]);

const versions = ["2012-10-17", "2008-10-17"];

/** Parses and checks a policy document; InvalidPolicyException names what is wrong. */
export function parsePolicy(text: string, action: string): ParsedPolicy {
  const fail = (state: string): never => {
    throw efsError("InvalidPolicyException", `${action}: the policy is not valid: ${state}`);
  };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return fail(`it is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(document)) return fail("it is not a JSON object");
  const version = document.Version ?? "2008-10-17";
  if (typeof version !== "string" || !versions.includes(version)) fail(`Version ${quote(version)} is not one of ${versions.map((v) => quote(v)).join(", ")}`);
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) fail("it has no Statement");
  return { version: version as string, statements: list.map((statement, index) => parseStatement(statement, `Statement[${index}]`, fail)) };
}

function parseStatement(raw: unknown, where: string, fail: (state: string) => never): PolicyStatement {
  if (!isRecord(raw)) return fail(`${where} is not an object`);
  if (raw.Effect !== "Allow" && raw.Effect !== "Deny") fail(`${where}.Effect must be "Allow" or "Deny"`);
  const statement: PolicyStatement = { effect: raw.Effect as Effect, conditions: [] };
  if (raw.Sid !== undefined) statement.sid = typeof raw.Sid === "string" ? raw.Sid : fail(`${where}.Sid must be a string`);
  if ((raw.Principal === undefined) === (raw.NotPrincipal === undefined)) fail(`${where} needs exactly one of Principal and NotPrincipal`);
  if (raw.Principal !== undefined) statement.principals = parsePrincipals(raw.Principal, `${where}.Principal`, fail);
  if (raw.NotPrincipal !== undefined) {
    if (statement.effect === "Allow") fail(`${where}: NotPrincipal may only be used with "Deny"`);
    statement.notPrincipals = parsePrincipals(raw.NotPrincipal, `${where}.NotPrincipal`, fail);
  }
  if ((raw.Action === undefined) === (raw.NotAction === undefined)) fail(`${where} needs exactly one of Action and NotAction`);
  if (raw.Action !== undefined) statement.actions = parseActions(raw.Action, `${where}.Action`, fail);
  if (raw.NotAction !== undefined) statement.notActions = parseActions(raw.NotAction, `${where}.NotAction`, fail);
  if (raw.Resource !== undefined && raw.NotResource !== undefined) fail(`${where} has both Resource and NotResource`);
  if (raw.Resource !== undefined) statement.resources = stringList(raw.Resource, `${where}.Resource`, fail);
  if (raw.NotResource !== undefined) statement.notResources = stringList(raw.NotResource, `${where}.NotResource`, fail);
  if (raw.Condition !== undefined) statement.conditions = parseConditions(raw.Condition, `${where}.Condition`, fail);
  return statement;
}

function parsePrincipals(raw: unknown, where: string, fail: (state: string) => never): Principals {
  if (raw === "*") return "*";
  if (!isRecord(raw)) return fail(`${where} must be "*" or an object such as {"AWS": "*"}`);
  const arns: string[] = [];
  for (const [type, value] of Object.entries(raw)) {
    if (!["AWS", "Service", "Federated", "CanonicalUser"].includes(type)) fail(`${where} has the unknown principal type ${quote(type)}`);
    const values = stringList(value, `${where}.${type}`, fail);
    if (type === "AWS" && values.includes("*")) return "*";
    for (const principal of values) {
      if (type === "AWS" && !/^(\d{12}|arn:aws[-a-z]*:(iam|sts)::\d{12}:.+)$/.test(principal)) fail(`${where}.AWS ${quote(principal)} is not an account id or an IAM ARN`);
      // Only AWS principals can ever be a mount's identity; the others are kept but never match.
      arns.push(type === "AWS" ? principal : `${type}:${principal}`);
    }
  }
  return arns;
}

function parseActions(raw: unknown, where: string, fail: (state: string) => never): string[] {
  const actions = stringList(raw, where, fail);
  for (const action of actions) {
    if (action !== "*" && !/^elasticfilesystem:[A-Za-z*?]+$/i.test(action)) fail(`${where} ${quote(action)} is not an elasticfilesystem action`);
  }
  return actions;
}

function parseConditions(raw: unknown, where: string, fail: (state: string) => never): ConditionClause[] {
  if (!isRecord(raw)) return fail(`${where} must be an object`);
  const clauses: ConditionClause[] = [];
  for (const [operatorName, block] of Object.entries(raw)) {
    let operator = operatorName.toLowerCase().replace(/^for(any|all)value:/, "");
    const ifExists = operator.endsWith("ifexists");
    if (ifExists) operator = operator.slice(0, -"ifexists".length);
    if (!conditionOperators.has(operator) || (ifExists && operator === "null")) fail(`${where} has the unsupported operator ${quote(operatorName)}`);
    if (!isRecord(block)) return fail(`${where}.${operatorName} must be an object`);
    for (const [key, value] of Object.entries(block)) {
      const values = (Array.isArray(value) ? value : [value]).map((item) =>
        typeof item === "string" || typeof item === "boolean" || typeof item === "number" ? String(item) : fail(`${where}.${operatorName}.${key} must hold strings`),
      );
      clauses.push({ operator, ifExists, key: key.toLowerCase(), values });
    }
  }
  return clauses;
}

function stringList(raw: unknown, where: string, fail: (state: string) => never): string[] {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) fail(`${where} is empty`);
  return list.map((item) => (typeof item === "string" && item !== "" ? item : fail(`${where} must be a string or a list of strings`)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
