// EFS's error vocabulary: every error code the service model names, with its HTTP status and the
// MoorError category it belongs to. Rules throw `efsError(code, ...)`; the AWS front end renders
// the code, status and extra members (FileSystemId, AccessPointId) in AWS's wire form.

import { type ErrorCategory, MoorError } from "../../errors/mod.js";

export const efsErrors = {
  AccessPointAlreadyExists: { status: 409, category: "AlreadyExists" },
  AccessPointLimitExceeded: { status: 403, category: "LimitExceeded" },
  AccessPointNotFound: { status: 404, category: "NotFound" },
  AvailabilityZonesMismatch: { status: 400, category: "Invalid" },
  BadRequest: { status: 400, category: "Invalid" },
  ConflictException: { status: 409, category: "Conflict" },
  DependencyTimeout: { status: 504, category: "Unavailable" },
  FileSystemAlreadyExists: { status: 409, category: "AlreadyExists" },
  FileSystemInUse: { status: 409, category: "Conflict" },
  FileSystemLimitExceeded: { status: 403, category: "LimitExceeded" },
  FileSystemNotFound: { status: 404, category: "NotFound" },
  IncorrectFileSystemLifeCycleState: { status: 409, category: "Conflict" },
  IncorrectMountTargetState: { status: 409, category: "Conflict" },
  InsufficientThroughputCapacity: { status: 503, category: "Unavailable" },
  InternalServerError: { status: 500, category: "Unavailable" },
  InvalidPolicyException: { status: 400, category: "Invalid" },
  IpAddressInUse: { status: 409, category: "Conflict" },
  MountTargetConflict: { status: 409, category: "Conflict" },
  MountTargetNotFound: { status: 404, category: "NotFound" },
  NetworkInterfaceLimitExceeded: { status: 409, category: "LimitExceeded" },
  NoFreeAddressesInSubnet: { status: 409, category: "LimitExceeded" },
  PolicyNotFound: { status: 404, category: "NotFound" },
  ReplicationAlreadyExists: { status: 409, category: "AlreadyExists" },
  ReplicationNotFound: { status: 404, category: "NotFound" },
  SecurityGroupLimitExceeded: { status: 400, category: "LimitExceeded" },
  SecurityGroupNotFound: { status: 400, category: "NotFound" },
  SubnetNotFound: { status: 400, category: "NotFound" },
  ThrottlingException: { status: 429, category: "Unavailable" },
  ThroughputLimitExceeded: { status: 400, category: "LimitExceeded" },
  TooManyRequests: { status: 429, category: "Unavailable" },
  UnsupportedAvailabilityZone: { status: 400, category: "Unsupported" },
  ValidationException: { status: 400, category: "Invalid" },
} as const satisfies Record<string, { status: number; category: ErrorCategory }>;

export type EfsErrorCode = keyof typeof efsErrors;

/** The code each category takes when an error carries none (e.g. a store conflict). */
export const efsCodeOfCategory: Record<ErrorCategory, EfsErrorCode> = {
  NotFound: "BadRequest",
  AlreadyExists: "BadRequest",
  Conflict: "BadRequest",
  Invalid: "BadRequest",
  Unsupported: "BadRequest",
  Unavailable: "InternalServerError",
  LimitExceeded: "BadRequest",
  Expired: "BadRequest",
  Forbidden: "BadRequest",
};

export function isEfsErrorCode(code: string | undefined): code is EfsErrorCode {
  return code !== undefined && Object.hasOwn(efsErrors, code);
}

export function efsError(code: EfsErrorCode, message: string, details?: Record<string, unknown>): MoorError {
  return new MoorError(efsErrors[code].category, message, { code, details });
}

export function badRequest(message: string): MoorError {
  return efsError("BadRequest", message);
}
