// A service's MoorError as a protocol's wire error: the code the operation set (an AWS code),
// else this protocol's name for the error's category; the status the model gives that code,
// else the category's (EC2 and json services answer 400 for every client fault).

import type { ErrorCategory, MoorError } from "../../../errors/mod.js";
import type { ProtocolName, ServiceModel } from "./_model.js";
import { validationCode, type WireError } from "./_protocol.js";

const xmlCodes: Record<ErrorCategory, string> = {
  NotFound: "NotFound",
  AlreadyExists: "AlreadyExists",
  Conflict: "Conflict",
  Invalid: "InvalidParameterValue",
  Unsupported: "UnsupportedOperation",
  Unavailable: "ServiceUnavailable",
  LimitExceeded: "LimitExceeded",
  Expired: "ExpiredToken",
  Forbidden: "AccessDenied",
};

const jsonCodes: Record<ErrorCategory, string> = {
  NotFound: "ResourceNotFoundException",
  AlreadyExists: "ResourceInUseException",
  Conflict: "ResourceInUseException",
  Invalid: "InvalidParameterException",
  Unsupported: "UnsupportedOperationException",
  Unavailable: "ServiceUnavailableException",
  LimitExceeded: "LimitExceededException",
  Expired: "ExpiredTokenException",
  Forbidden: "AccessDeniedException",
};

const categoryStatus: Record<ErrorCategory, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 400,
  Unsupported: 400,
  Unavailable: 503,
  LimitExceeded: 400,
  Expired: 400,
  Forbidden: 403,
};

function codeOf(model: ServiceModel, category: ErrorCategory): string {
  const protocol: ProtocolName = model.protocol;
  if (category === "Invalid") return protocol === "query" ? "ValidationError" : protocol === "ec2" ? "InvalidParameterValue" : validationCode(model);
  return protocol === "query" || protocol === "ec2" ? xmlCodes[category] : jsonCodes[category];
}

export function wireErrorOf(model: ServiceModel, error: MoorError): WireError {
  const code = error.code ?? codeOf(model, error.category);
  const flat = model.protocol === "ec2" || model.protocol === "json";
  const status = model.errorStatus(code) ?? (flat && error.category !== "Unavailable" ? 400 : categoryStatus[error.category]);
  return { code, status, message: error.message, details: error.details };
}
