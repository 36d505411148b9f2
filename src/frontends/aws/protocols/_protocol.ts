// What every wire protocol does for the front end: read a request into an operation and its
// typed input (checked against the model), write the operation's output, and write an error in
// the protocol's own shape. Problems found while reading are thrown as ProtocolError, already
// carrying the protocol's code, status and AWS's text.

import type { IncomingHttpHeaders } from "node:http";
import type { WireAnswer } from "../../http/mod.js";
import type { OperationModel, ServiceModel } from "./_model.js";
import type { Problem } from "./_problems.js";

export interface WireRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Invocation {
  operation: OperationModel;
  input: Record<string, unknown>;
}

/** A request the protocol refuses before any operation runs. */
export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ProtocolError";
  }
}

/** The codes a protocol answers with for requests it cannot take. */
export interface ProtocolCodes {
  /** The request names no operation the service has. */
  unknownOperation: { code: string; status: number };
  /** The body or parameters cannot be decoded at all. */
  malformed: string;
  /** A category with no code of its own, as this protocol names it. */
  internal: string;
}

export interface WireError {
  code: string;
  status: number;
  message: string;
  details?: Record<string, unknown>;
}

export interface Protocol {
  readonly codes: ProtocolCodes;
  /** The operation and input of a request, or a ProtocolError. */
  read(model: ServiceModel, request: WireRequest): Invocation;
  /** The problems found while reading and checking the input, as this protocol reports them. */
  refuse(model: ServiceModel, problems: readonly Problem[]): ProtocolError;
  write(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): WireAnswer;
  error(model: ServiceModel, error: WireError, requestId: string): WireAnswer;
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The media type of the request, lower-cased, without parameters. */
export function mediaType(headers: IncomingHttpHeaders): string | undefined {
  return header(headers, "content-type")?.split(";")[0]!.trim().toLowerCase();
}

/** The validation code a json or rest-json service declares: ValidationException, else InvalidParameterException. */
export function validationCode(model: ServiceModel): string {
  if (model.hasError("ValidationException")) return "ValidationException";
  if (model.hasError("InvalidParameterException")) return "InvalidParameterException";
  return "ValidationException";
}
