// Moor's error model: a small closed set of categories, each carrying a cause and the object it
// names. Front ends turn these into wire form (AWS error body, Kubernetes Status, FUSE errno,
// CLI exit line); anything that is not a MoorError becomes a logged, generic internal error.

export type ErrorCategory =
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Invalid"
  | "Unsupported"
  | "Unavailable"
  | "LimitExceeded"
  | "Expired"
  | "Forbidden";

export interface ErrorSubject {
  kind: string;
  name?: string;
}

export interface MoorErrorOptions {
  subject?: ErrorSubject;
  /** Protocol-specific code a front end should use instead of the category's default. */
  code?: string;
  /** Extra members the wire form carries (for example AWS's FileSystemId on conflicts). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class MoorError extends Error {
  readonly category: ErrorCategory;
  readonly subject?: ErrorSubject;
  readonly code?: string;
  readonly details?: Record<string, unknown>;

  constructor(category: ErrorCategory, message: string, options: MoorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MoorError";
    this.category = category;
    this.subject = options.subject;
    this.code = options.code;
    this.details = options.details;
  }
}

export function isMoorError(error: unknown): error is MoorError {
  return error instanceof MoorError;
}

export function notFound(message: string, options?: MoorErrorOptions): MoorError {
  return new MoorError("NotFound", message, options);
}
export function alreadyExists(message: string, options?: MoorErrorOptions): MoorError {
  return new MoorError("AlreadyExists", message, options);
}
export function conflict(message: string, options?: MoorErrorOptions): MoorError {
  return new MoorError("Conflict", message, options);
}
export function invalid(message: string, options?: MoorErrorOptions): MoorError {
  return new MoorError("Invalid", message, options);
}
export function unsupported(message: string, options?: MoorErrorOptions): MoorError {
  return new MoorError("Unsupported", message, options);
}
export function unavailable(message: string, options?: MoorErrorOptions): MoorError {
  return new MoorError("Unavailable", message, options);
}
export function limitExceeded(message: string, options?: MoorErrorOptions): MoorError {
  return new MoorError("LimitExceeded", message, options);
}
export function expired(message: string, options?: MoorErrorOptions): MoorError {
  return new MoorError("Expired", message, options);
}
export function forbidden(message: string, options?: MoorErrorOptions): MoorError {
  return new MoorError("Forbidden", message, options);
}

/** Quotes a value for an error message, following STYLE.md's grammar. */
export function quote(value: unknown): string {
  return JSON.stringify(typeof value === "string" ? value : String(value));
}
