// Kubernetes `Status`: the one wire form of every error this API returns, and how MoorError
// categories (and the store's own messages) become upstream's reasons, codes and messages.

import { isMoorError, type MoorError } from "../../errors/mod.js";
import { qualifiedPlural, type ResourceType } from "../../domain/kube/mod.js";

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: Record<string, unknown>;
  code: number;
}

export class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function status(code: number, reason: string, message: string, details?: Record<string, unknown>): Status {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: code < 400 ? "Success" : "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

const byCategory: Record<string, [number, string]> = {
  NotFound: [404, "NotFound"],
  AlreadyExists: [409, "AlreadyExists"],
  Conflict: [409, "Conflict"],
  Invalid: [422, "Invalid"],
  Unsupported: [405, "MethodNotAllowed"],
  Unavailable: [503, "ServiceUnavailable"],
  LimitExceeded: [429, "TooManyRequests"],
  Expired: [410, "Expired"],
  Forbidden: [403, "Forbidden"],
};

const byCode: Record<string, [number, string]> = {
  BadRequest: [400, "BadRequest"],
  UnsupportedMediaType: [415, "UnsupportedMediaType"],
  MethodNotAllowed: [405, "MethodNotAllowed"],
  NotAcceptable: [406, "NotAcceptable"],
  RequestEntityTooLarge: [413, "RequestEntityTooLarge"],
  Gone: [410, "Gone"],
};

/** Any thrown value as a Status; unknown errors are logged and become a generic 500. */
export function statusOf(error: unknown): Status {
  if (error instanceof HttpError) return status(error.code, error.reason, error.message, error.details);
  if (isMoorError(error)) {
    const [code, reason] = (error.code && byCode[error.code]) || byCategory[error.category] || [500, "InternalError"];
    return status(code, reason, error.message, error.details ?? subjectDetails(error));
  }
  console.error("moor: kube API request failed:", error);
  return status(500, "InternalError", "an error on the server has prevented the request from succeeding");
}

function subjectDetails(error: MoorError): Record<string, unknown> | undefined {
  return error.subject ? { name: error.subject.name, kind: error.subject.kind } : undefined;
}

/** Upstream's messages for the store's errors, naming the resource as kubectl users know it. */
export function translateStoreError(error: unknown, resource: ResourceType, name: string): unknown {
  if (!isMoorError(error)) return error;
  const plural = qualifiedPlural(resource);
  const details = { name, group: resource.group, kind: resource.plural };
  switch (error.category) {
    case "NotFound":
      return new HttpError(404, "NotFound", `${plural} "${name}" not found`, details);
    case "AlreadyExists":
      return new HttpError(409, "AlreadyExists", `${plural} "${name}" already exists`, details);
    case "Conflict":
      return new HttpError(
        409,
        "Conflict",
        `Operation cannot be fulfilled on ${plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        details,
      );
    default:
      return error;
  }
}

export function notFoundError(resource: ResourceType, name: string): HttpError {
  return new HttpError(404, "NotFound", `${qualifiedPlural(resource)} "${name}" not found`, { name, group: resource.group, kind: resource.plural });
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, "BadRequest", message);
}
