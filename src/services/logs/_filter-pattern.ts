// CloudWatch Logs filter patterns for unstructured events: terms that must all appear (`ERROR
// Exception`), quoted phrases (`"connection refused"`), optional terms of which one must appear
// (`?ERROR ?WARN`), excluded terms (`ERROR -Retrying`), and a regular expression between
// percent signs (`%ab+c%`). Matching is case-sensitive, as AWS's is. JSON (`{ $.x = 1 }`) and
// space-delimited (`[ip, user, ...]`) patterns are refused by name.

import { logsError } from "./_context.js";

export type Matcher = (message: string) => boolean;

interface Term {
  text: string;
  kind: "required" | "optional" | "excluded";
}

function invalidPattern(pattern: string, why: string): Error {
  return logsError("InvalidParameterException", `Invalid filter pattern ${JSON.stringify(pattern)}: ${why}`);
}

function terms(pattern: string): Term[] {
  const found: Term[] = [];
  const tokenizer = /\s*([?-]?)(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = tokenizer.exec(pattern)) !== null) {
    consumed = tokenizer.lastIndex;
    const text = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : match[3]!;
    const kind = match[1] === "?" ? "optional" : match[1] === "-" ? "excluded" : "required";
    found.push({ text, kind });
  }
  if (pattern.slice(consumed).trim() !== "") throw invalidPattern(pattern, "an unterminated quote");
  return found;
}

/** A matcher for the pattern; an empty pattern matches every event. */
export function compilePattern(pattern: string | undefined): Matcher {
  const text = (pattern ?? "").trim();
  if (text === "") return () => true;
  if (text.startsWith("{") || text.startsWith("[")) throw invalidPattern(text, "Moor supports term, phrase and regular-expression patterns only");
  if (text.length > 1 && text.startsWith("%") && text.endsWith("%")) {
    let expression: RegExp;
    try {
      expression = new RegExp(text.slice(1, -1));
    } catch {
      throw invalidPattern(text, "the regular expression does not parse");
    }
    return (message) => expression.test(message);
  }
  const all = terms(text);
  const required = all.filter((term) => term.kind === "required").map((term) => term.text);
  const optional = all.filter((term) => term.kind === "optional").map((term) => term.text);
  const excluded = all.filter((term) => term.kind === "excluded").map((term) => term.text);
  return (message) =>
    required.every((term) => message.includes(term)) &&
    (optional.length === 0 || optional.some((term) => message.includes(term))) &&
    !excluded.some((term) => message.includes(term));
}
