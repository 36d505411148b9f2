// Scalars between wire text and typed values: numbers, booleans, timestamps and blobs as the
// query, ec2 and rest-json (path and query string) protocols carry them, and as JSON does.

import type { ShapeType } from "./_model.js";

const integerText = /^[+-]?\d{1,19}$/;
const numberText = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const base64Text = /^[A-Za-z0-9+/]*={0,2}$/;

/** The typed value of wire text, or undefined when the text is not of the type. */
export function scalarFromText(type: ShapeType, text: string): unknown {
  switch (type) {
    case "string":
      return text;
    case "integer":
    case "long": {
      if (!integerText.test(text)) return undefined;
      const value = Number(text);
      return Number.isSafeInteger(value) ? value : undefined;
    }
    case "float":
    case "double":
      return numberText.test(text) ? Number(text) : text === "NaN" || text === "Infinity" || text === "-Infinity" ? Number(text) : undefined;
    case "boolean":
      return text === "true" ? true : text === "false" ? false : undefined;
    case "timestamp":
      return timestampFromText(text);
    case "blob":
      return base64Text.test(text) && text.length % 4 === 0 ? Buffer.from(text, "base64") : undefined;
    default:
      return undefined;
  }
}

/** ISO-8601 (what query clients send), epoch seconds, or an HTTP date. */
export function timestampFromText(text: string): Date | undefined {
  if (numberText.test(text)) return new Date(Number(text) * 1000);
  if (!/^\d{4}-\d{2}-\d{2}|^[A-Z][a-z]{2}, /.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The typed value of a JSON value, or undefined when it is not of the type. */
export function scalarFromJson(type: ShapeType, value: unknown): unknown {
  switch (type) {
    case "string":
      return typeof value === "string" ? value : undefined;
    case "integer":
    case "long":
      return typeof value === "number" && Number.isSafeInteger(value) ? value : undefined;
    case "float":
    case "double":
      return typeof value === "number" ? value : typeof value === "string" && ["NaN", "Infinity", "-Infinity"].includes(value) ? Number(value) : undefined;
    case "boolean":
      return typeof value === "boolean" ? value : undefined;
    case "timestamp":
      if (typeof value === "number" && Number.isFinite(value)) return new Date(value * 1000);
      return typeof value === "string" ? timestampFromText(value) : undefined;
    case "blob":
      return typeof value === "string" ? scalarFromText("blob", value) : undefined;
    default:
      return undefined;
  }
}

/** Wire text of a typed scalar for XML: ISO-8601 timestamps, `true`/`false`, base64 blobs. */
export function scalarToText(type: ShapeType, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  switch (type) {
    case "timestamp":
      return toDate(value)?.toISOString().replace(".000Z", "Z");
    case "blob":
      return Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value).toString("base64") : String(value);
    case "boolean":
      return value ? "true" : "false";
    default:
      return String(value);
  }
}

/** JSON value of a typed scalar: epoch seconds for timestamps, base64 for blobs. */
export function scalarToJson(type: ShapeType, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (type) {
    case "timestamp": {
      const date = toDate(value);
      return date ? date.getTime() / 1000 : undefined;
    }
    case "blob":
      return Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value).toString("base64") : String(value);
    case "float":
    case "double":
      return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
    default:
      return value;
  }
}

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === "number") return new Date(value * 1000);
  if (typeof value === "string") return timestampFromText(value);
  return undefined;
}
