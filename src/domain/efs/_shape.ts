// Input checking the way the EFS service model constrains members: types, required members,
// lengths, patterns, enums and ranges. A violation is a BadRequest whose message names the
// member by its path (`RootDirectory.CreationInfo.Permissions`, `Tags[2].Key`). Members the
// shape does not know are ignored, as AWS's rest-json services do.

import { quote } from "../../errors/mod.js";
import { badRequest } from "./_errors.js";

export type Shape =
  | { type: "string"; min?: number; max?: number; pattern?: RegExp; enum?: readonly string[] }
  | { type: "integer"; min?: number; max?: number }
  | { type: "double"; min?: number; max?: number }
  | { type: "boolean" }
  | { type: "list"; member: Shape; min?: number; max?: number }
  | { type: "structure"; members: Record<string, Shape>; required?: readonly string[] };

const shownLengthMax = 80;

/** Throws BadRequest `"<action>: <member> ..."` when `value` does not fit `shape`. */
export function checkShape(shape: Shape, value: unknown, member: string, action: string): void {
  const fail = (state: string) => {
    throw badRequest(`${action}: ${state}`);
  };
  switch (shape.type) {
    case "string":
      return checkString(shape, value, member, fail);
    case "integer":
    case "double":
      return checkNumber(shape, value, member, fail);
    case "boolean":
      if (typeof value !== "boolean") fail(`${member} must be a boolean; got ${describe(value)}`);
      return;
    case "list":
      if (!Array.isArray(value)) return fail(`${member} must be a list; got ${describe(value)}`);
      if (shape.min !== undefined && value.length < shape.min) fail(`${member} has ${value.length} items; at least ${shape.min} are required`);
      if (shape.max !== undefined && value.length > shape.max) fail(`${member} has ${value.length} items; at most ${shape.max} are allowed`);
      value.forEach((item, index) => checkShape(shape.member, item, `${member}[${index}]`, action));
      return;
    case "structure":
      return checkStructure(shape, value, member, action, fail);
  }
}

function checkString(shape: Extract<Shape, { type: "string" }>, value: unknown, member: string, fail: (state: string) => never): void {
  if (typeof value !== "string") fail(`${member} must be a string; got ${describe(value)}`);
  const text = value as string;
  const length = [...text].length;
  if (shape.enum && !shape.enum.includes(text)) fail(`${member} ${show(text)} is not one of ${shape.enum.map((item) => quote(item)).join(", ")}`);
  if (shape.min !== undefined && length < shape.min) fail(`${member} ${show(text)} is shorter than ${shape.min} characters`);
  if (shape.max !== undefined && length > shape.max) fail(`${member} ${show(text)} is longer than ${shape.max} characters`);
  if (shape.pattern && !shape.pattern.test(text)) fail(`${member} ${show(text)} does not match the pattern ${shape.pattern.source}`);
}

function checkNumber(shape: Extract<Shape, { type: "integer" | "double" }>, value: unknown, member: string, fail: (state: string) => never): void {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(`${member} must be a number; got ${describe(value)}`);
  const number = value as number;
  if (shape.type === "integer" && !Number.isInteger(number)) fail(`${member} ${number} is not a whole number`);
  if (shape.min !== undefined && number < shape.min) fail(`${member} ${number} is less than ${shape.min}`);
  if (shape.max !== undefined && number > shape.max) fail(`${member} ${number} is greater than ${shape.max}`);
}

function checkStructure(
  shape: Extract<Shape, { type: "structure" }>,
  value: unknown,
  member: string,
  action: string,
  fail: (state: string) => never,
): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(`${member} must be an object; got ${describe(value)}`);
  const record = value as Record<string, unknown>;
  const prefix = member === "" ? "" : `${member}.`;
  for (const name of shape.required ?? []) {
    if (record[name] === undefined || record[name] === null) fail(`${prefix}${name} is required`);
  }
  for (const [name, memberShape] of Object.entries(shape.members)) {
    const memberValue = record[name];
    // AWS's JSON parsers treat an explicit null like an absent member.
    if (memberValue === undefined || memberValue === null) continue;
    checkShape(memberShape, memberValue, `${prefix}${name}`, action);
  }
}

function show(text: string): string {
  return quote(text.length > shownLengthMax ? `${text.slice(0, shownLengthMax)}...` : text);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the string ${show(value)}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}
