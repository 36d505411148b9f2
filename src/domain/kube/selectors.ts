// Label selectors (the `-l` string form and the LabelSelector object form) and field selectors
// (`--field-selector`, and what `describe` sends for events), as upstream parses and matches them.

import { invalid } from "../../errors/mod.js";
import { labelValueProblems, qualifiedNameProblems } from "./names.js";

export type Operator = "=" | "!=" | "in" | "notin" | "exists" | "!" | ">" | "<";

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export type Labels = Record<string, string> | undefined;

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const identifierPattern = /^[A-Za-z0-9_./-]+$/;

/** Parses `app=web,tier!=db,env in (a,b),!legacy`. Invalid as a MoorError (400 BadRequest). */
export function parseLabelSelector(text: string): Requirement[] {
  const requirements: Requirement[] = [];
  for (const term of splitTerms(text)) {
    const requirement = parseRequirement(term.trim(), text);
    checkRequirement(requirement);
    requirements.push(requirement);
  }
  return requirements;
}

function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const character of text) {
    if (character === "(") depth++;
    if (character === ")") depth--;
    if (character === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else current += character;
  }
  if (current.trim() !== "" || terms.length > 0) terms.push(current);
  return terms;
}

function parseRequirement(term: string, whole: string): Requirement {
  const fail = (detail: string) => invalid(`unable to parse requirement: found '${term}', ${detail}`, { code: "BadRequest" });
  if (term === "") throw invalid(`unable to parse requirement: found '', expected: identifier in selector "${whole}"`, { code: "BadRequest" });
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (setMatch) {
    const values = setMatch[3]!.split(",").map((value) => value.trim());
    if (values.length === 1 && values[0] === "") throw fail("for 'in', 'notin' operators, values set can't be empty");
    return { key: setMatch[1]!, operator: setMatch[2] as Operator, values };
  }
  if (term.startsWith("!")) return { key: term.slice(1).trim(), operator: "!", values: [] };
  const opMatch = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(term);
  if (opMatch) {
    const operator = (opMatch[2] === "==" ? "=" : opMatch[2]) as Operator;
    const value = opMatch[3]!.trim();
    if ((operator === ">" || operator === "<") && !/^-?\d+$/.test(value)) throw fail("for 'Gt', 'Lt' operators, the value must be an integer");
    return { key: opMatch[1]!, operator, values: [value] };
  }
  if (identifierPattern.test(term)) return { key: term, operator: "exists", values: [] };
  throw fail("expected: '=', '!=', '==', 'in', notin'");
}

function checkRequirement(requirement: Requirement): void {
  const keyProblems = qualifiedNameProblems(requirement.key);
  if (keyProblems.length > 0) {
    throw invalid(`unable to parse requirement: key: Invalid value: "${requirement.key}": ${keyProblems.join("; ")}`, { code: "BadRequest" });
  }
  requirement.values.forEach((value, index) => {
    if (requirement.operator === ">" || requirement.operator === "<") return;
    const problems = labelValueProblems(value);
    if (problems.length > 0) {
      throw invalid(`unable to parse requirement: values[${index}][${requirement.key}]: Invalid value: "${value}": ${problems.join("; ")}`, {
        code: "BadRequest",
      });
    }
  });
}

export function matchesRequirements(requirements: Requirement[], labels: Labels): boolean {
  return requirements.every((requirement) => matchesRequirement(requirement, labels ?? {}));
}

function matchesRequirement(requirement: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case "=":
      return has && value === requirement.values[0];
    case "!=":
      return !has || value !== requirement.values[0];
    case "in":
      return has && requirement.values.includes(value!);
    case "notin":
      return !has || !requirement.values.includes(value!);
    case "exists":
      return has;
    case "!":
      return !has;
    case ">":
      return has && /^-?\d+$/.test(value!) && Number(value) > Number(requirement.values[0]);
    case "<":
      return has && /^-?\d+$/.test(value!) && Number(value) < Number(requirement.values[0]);
  }
}

/** The object form (Deployment/ReplicaSet/Job selectors) as requirements. */
export function requirementsOf(selector: LabelSelectorObject): Requirement[] {
  const requirements: Requirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
    key,
    operator: "=" as Operator,
    values: [value],
  }));
  for (const expression of selector.matchExpressions ?? []) {
    const operator = ({ In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" } as Record<string, Operator>)[expression.operator];
    if (!operator) throw invalid(`"${expression.operator}" is not a valid label selector operator`);
    requirements.push({ key: expression.key, operator, values: [...(expression.values ?? [])] });
  }
  return requirements;
}

/** Does the LabelSelector object select these labels? An empty selector selects everything. */
export function selectorMatches(selector: LabelSelectorObject | undefined, labels: Labels): boolean {
  if (!selector) return false;
  return matchesRequirements(requirementsOf(selector), labels);
}

/** `app=web,tier in (a,b)`: the string form kubectl shows and Scale.status.selector carries. */
export function selectorString(selector: LabelSelectorObject | undefined): string {
  if (!selector) return "";
  const requirements = requirementsOf(selector).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return requirements
    .map((requirement) => {
      switch (requirement.operator) {
        case "exists":
          return requirement.key;
        case "!":
          return `!${requirement.key}`;
        case "in":
        case "notin":
          return `${requirement.key} ${requirement.operator} (${[...requirement.values].sort().join(",")})`;
        default:
          return `${requirement.key}${requirement.operator}${requirement.values[0]}`;
      }
    })
    .join(",");
}

export interface FieldRequirement {
  field: string;
  operator: "=" | "!=";
  value: string;
}

/** Parses `metadata.name=x,involvedObject.namespace=` (values may be empty; `\,` escapes). */
export function parseFieldSelector(text: string): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  const terms: string[] = [];
  let current = "";
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (character === "\\" && index + 1 < text.length) {
      current += character + text[++index];
    } else if (character === ",") {
      terms.push(current);
      current = "";
    } else current += character;
  }
  if (current !== "" || terms.length > 0) terms.push(current);
  for (const term of terms) {
    const match = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
    if (!match) throw invalid(`invalid selector: '${text}'; can't understand '${term}'`, { code: "BadRequest" });
    requirements.push({
      field: match[1]!.trim(),
      operator: match[2] === "!=" ? "!=" : "=",
      value: match[3]!.replace(/\\(.)/g, "$1"),
    });
  }
  return requirements;
}

export function matchesFields(requirements: FieldRequirement[], fields: Record<string, string>): boolean {
  return requirements.every((requirement) => {
    const value = fields[requirement.field] ?? "";
    return requirement.operator === "=" ? value === requirement.value : value !== requirement.value;
  });
}
