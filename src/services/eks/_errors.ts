// EKS's error codes as MoorErrors: the code the wire carries (the model's exception shape name),
// the category that says what kind of refusal it is, and the members EKS adds to the body
// (clusterName, fargateProfileName, nodegroupName). Texts follow what EKS answers where it is
// known (reference/aws-control-plane.md §3.5).

import { type ErrorCategory, MoorError } from "../../errors/mod.js";

export type EksErrorCode =
  | "ResourceNotFoundException"
  | "ResourceInUseException"
  | "InvalidParameterException"
  | "InvalidRequestException"
  | "ResourceLimitExceededException";

const categoryOf: Record<EksErrorCode, ErrorCategory> = {
  ResourceNotFoundException: "NotFound",
  ResourceInUseException: "Conflict",
  InvalidParameterException: "Invalid",
  InvalidRequestException: "Invalid",
  ResourceLimitExceededException: "LimitExceeded",
};

export interface EksErrorNames {
  clusterName?: string;
  fargateProfileName?: string;
  nodegroupName?: string;
}

/** `category` overrides the code's usual one (a duplicate is ResourceInUse on the wire, AlreadyExists to kubectl). */
export function eksError(code: EksErrorCode, message: string, names: EksErrorNames = {}, category?: ErrorCategory): MoorError {
  const details = Object.fromEntries(Object.entries(names).filter(([, value]) => value !== undefined));
  return new MoorError(category ?? categoryOf[code], message, { code, details });
}

export function clusterNotFound(name: string): MoorError {
  return eksError("ResourceNotFoundException", `No cluster found for name: ${name}.`, { clusterName: name });
}
