// Field errors as upstream words them (`spec.replicas: Invalid value: -1: must be greater than or
// equal to 0`), and the Invalid error that carries them as Status causes.

import { invalid, type MoorError } from "../../errors/mod.js";

export type FieldErrorType =
  | "FieldValueInvalid"
  | "FieldValueRequired"
  | "FieldValueNotSupported"
  | "FieldValueForbidden"
  | "FieldValueDuplicate"
  | "FieldValueNotFound"
  | "FieldValueTooLong";

export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: unknown;
  detail: string;
}

export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return { type: "FieldValueInvalid", field, value, detail };
}
export function required(field: string, detail = ""): FieldError {
  return { type: "FieldValueRequired", field, detail };
}
export function notSupported(field: string, value: unknown, supported: string[]): FieldError {
  const detail = supported.length > 0 ? `supported values: ${supported.map((item) => JSON.stringify(item)).join(", ")}` : "";
  return { type: "FieldValueNotSupported", field, value, detail };
}
export function forbidden(field: string, detail: string): FieldError {
  return { type: "FieldValueForbidden", field, detail };
}
export function duplicate(field: string, value: unknown): FieldError {
  return { type: "FieldValueDuplicate", field, value, detail: "" };
}
export function notFoundValue(field: string, value: unknown): FieldError {
  return { type: "FieldValueNotFound", field, value, detail: "" };
}
export function immutable(field: string, value: unknown): FieldError {
  return invalidValue(field, value, "field is immutable");
}

const typeWords: Record<FieldErrorType, string> = {
  FieldValueInvalid: "Invalid value",
  FieldValueRequired: "Required value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueForbidden: "Forbidden",
  FieldValueDuplicate: "Duplicate value",
  FieldValueNotFound: "Not found",
  FieldValueTooLong: "Too long",
};

/** Go's %#v-ish rendering as upstream prints values: strings quoted, numbers and bools bare. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === undefined || value === null) return "null";
  // Go's %#v of a []string, as upstream prints `spec.clusterIPs: Invalid value: []string{"10.100.0.5"}`.
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return `[]string{${value.map((item) => JSON.stringify(item)).join(", ")}}`;
  return JSON.stringify(value);
}

/** The message after the field: `Invalid value: -1: must be greater than or equal to 0`. */
export function errorBody(error: FieldError): string {
  const word = typeWords[error.type];
  const carriesValue = error.type === "FieldValueInvalid" || error.type === "FieldValueNotSupported" || error.type === "FieldValueDuplicate" || error.type === "FieldValueNotFound";
  let text = carriesValue ? `${word}: ${formatValue(error.value)}` : word;
  if (error.detail) text += `: ${error.detail}`;
  return text;
}

export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${errorBody(error)}`;
}

/** `Deployment.apps "web" is invalid: spec.replicas: ...`, as a MoorError with Status causes. */
export function invalidObject(qualifiedKind: string, name: string, errors: FieldError[]): MoorError {
  const messages = errors.map(formatFieldError);
  const summary = messages.length === 1 ? messages[0] : `[${messages.join(", ")}]`;
  const [kind, ...groupParts] = qualifiedKind.split(".");
  return invalid(`${qualifiedKind} "${name}" is invalid: ${summary}`, {
    subject: { kind: kind!, name },
    details: {
      name,
      group: groupParts.join("."),
      kind: kind!,
      causes: errors.map((error) => ({ reason: error.type, message: errorBody(error), field: error.field })),
    },
  });
}
