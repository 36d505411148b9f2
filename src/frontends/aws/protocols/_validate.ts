// Checking a typed input against its model shape: required members, enums, lengths, ranges and
// patterns, as AWS's own front ends do before an operation runs. Patterns are not anchored
// (Smithy's rule); one that JavaScript cannot compile is skipped rather than guessed at.

import type { ResolvedShape, ServiceModel, ShapeReference } from "./_model.js";
import { joinPath, pathSegment, type ProblemList } from "./_problems.js";

const compiled = new Map<string, RegExp | null>();

function patternOf(source: string): RegExp | null {
  let pattern = compiled.get(source);
  if (pattern !== undefined) return pattern;
  pattern = null;
  for (const flags of ["u", ""]) {
    try {
      pattern = new RegExp(source, flags);
      break;
    } catch {
      // The model's (Java) syntax is not JavaScript's: try without the unicode flag, then skip.
    }
  }
  compiled.set(source, pattern);
  return pattern;
}

/** Length as AWS counts it: Unicode code points. */
function codePoints(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0xd800 || code > 0xdbff) count++;
  }
  return count;
}

export function validate(model: ServiceModel, shape: ResolvedShape, value: unknown, path: string, problems: ProblemList): void {
  if (problems.full) return;
  switch (shape.type) {
    case "structure":
      return validateStructure(model, shape, value as Record<string, unknown>, path, problems);
    case "list": {
      const items = value as unknown[];
      checkSize(shape, items.length, path, problems, undefined);
      const member = model.resolve(shape.member!);
      items.forEach((item, index) => validate(model, member, item, joinPath(path, `${index + 1}.member`), problems));
      return;
    }
    case "map": {
      const entries = Object.entries(value as Record<string, unknown>);
      checkSize(shape, entries.length, path, problems, undefined);
      const key = model.resolve(shape.key!);
      const item = model.resolve(shape.value!);
      for (const [name, entry] of entries) {
        validate(model, key, name, joinPath(path, "key"), problems);
        validate(model, item, entry, joinPath(path, `${name}.value`), problems);
      }
      return;
    }
    case "string":
      return validateString(shape, value as string, path, problems);
    case "integer":
    case "long":
    case "float":
    case "double": {
      const number = value as number;
      if (shape.min !== undefined && number < shape.min) problems.add({ kind: "constraint", path, wireName: path, value: String(number), constraint: `Member must have value greater than or equal to ${shape.min}` });
      if (shape.max !== undefined && number > shape.max) problems.add({ kind: "constraint", path, wireName: path, value: String(number), constraint: `Member must have value less than or equal to ${shape.max}` });
      return;
    }
    default:
      return;
  }
}

function validateStructure(model: ServiceModel, shape: ResolvedShape, value: Record<string, unknown>, path: string, problems: ProblemList): void {
  for (const name of shape.required ?? []) {
    if (value[name] !== undefined) continue;
    problems.add({ kind: "missing", path: joinPath(path, pathSegment(name)), wireName: ec2Key(name, shape.members?.[name]), constraint: "Member must not be null" });
  }
  for (const [name, reference] of Object.entries(shape.members ?? {})) {
    if (value[name] === undefined) continue;
    validate(model, model.resolve(reference), value[name], joinPath(path, pathSegment(name)), problems);
  }
}

/** The member's key as EC2 requests carry it (queryName, else capitalised locationName), for MissingParameter. */
function ec2Key(name: string, reference: ShapeReference | undefined): string {
  if (reference?.queryName) return reference.queryName;
  const location = reference?.locationName;
  return location ? location.charAt(0).toUpperCase() + location.slice(1) : name;
}

function validateString(shape: ResolvedShape, text: string, path: string, problems: ProblemList): void {
  if (shape.enum && !shape.enum.includes(text)) {
    problems.add({ kind: "constraint", path, wireName: path, value: text, constraint: `Member must satisfy enum value set: [${shape.enum.join(", ")}]` });
    return;
  }
  checkSize(shape, codePoints(text), path, problems, text);
  if (shape.pattern) {
    const pattern = patternOf(shape.pattern);
    if (pattern && !pattern.test(text)) problems.add({ kind: "constraint", path, wireName: path, value: text, constraint: `Member must satisfy regular expression pattern: ${shape.pattern}` });
  }
}

function checkSize(shape: ResolvedShape, size: number, path: string, problems: ProblemList, text: string | undefined): void {
  if (shape.min !== undefined && size < shape.min) problems.add({ kind: "constraint", path, wireName: path, value: text, constraint: `Member must have length greater than or equal to ${shape.min}` });
  if (shape.max !== undefined && size > shape.max) problems.add({ kind: "constraint", path, wireName: path, value: text, constraint: `Member must have length less than or equal to ${shape.max}` });
}
