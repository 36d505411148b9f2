// What every CloudWatch Logs operation works with: the store (log groups are objects there,
// few and slow-changing), the log-event port (streams and events live in the log engine, off
// the store's watch history), the clock, and Logs' error codes and texts.

import { type ErrorCategory, MoorError } from "../../errors/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";

export const logsApiVersion = "logs.moor.dev/v1";
export const logGroupKind = "LogGroup";

export interface LogGroupSpec {
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  deletionProtectionEnabled: boolean;
  tags: Record<string, string>;
  /** Milliseconds since the epoch. */
  creationTime: number;
}

export type LogGroupObject = StoredObject<LogGroupSpec> & { spec: LogGroupSpec };

/** The stream and event storage the service needs (src/engines/logs implements it). */
export interface LogEventPort {
  createStream(group: string, name: string, creationTime: number): boolean;
  stream(group: string, name: string): StreamRecord | undefined;
  streams(group: string, query: { prefix?: string; orderBy: "LogStreamName" | "LastEventTime"; descending: boolean; offset: number; limit: number }): StreamRecord[];
  deleteStream(group: string, name: string): boolean;
  deleteGroup(group: string): void;
  append(group: string, name: string, events: readonly { timestamp: number; message: string }[], ingestionTime: number): StreamRecord | undefined;
  events(query: EventQuery): EventRecord[];
  storedBytes(group: string): number;
  expire(group: string, beforeTimestamp: number): number;
}

export interface StreamRecord {
  group: string;
  name: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
  uploads: number;
}

export interface EventRecord {
  stream: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
  sequence: number;
}

export interface Cursor {
  timestamp: number;
  sequence: number;
}

export interface EventQuery {
  group: string;
  streams?: readonly string[];
  streamPrefix?: string;
  startTime?: number;
  endTime?: number;
  after?: Cursor;
  before?: Cursor;
  limit: number;
  newestFirst?: boolean;
}

export interface LogsContext {
  store: Store;
  events: LogEventPort;
  region: string;
  accountId: string;
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface CallContext {
  region: string;
  accountId: string;
  requestId: string;
}

const categoryOf: Record<string, ErrorCategory> = {
  ResourceNotFoundException: "NotFound",
  ResourceAlreadyExistsException: "AlreadyExists",
  InvalidParameterException: "Invalid",
  LimitExceededException: "LimitExceeded",
  OperationAbortedException: "Conflict",
  DataAlreadyAcceptedException: "Conflict",
};

/** A Logs error: the exception shape's name on the wire, AWS's text, Moor's category. */
export function logsError(code: string, message: string): MoorError {
  return new MoorError(categoryOf[code] ?? "Invalid", message, { code });
}

export function groupNotFound(): MoorError {
  return logsError("ResourceNotFoundException", "The specified log group does not exist.");
}

export function streamNotFound(): MoorError {
  return logsError("ResourceNotFoundException", "The specified log stream does not exist.");
}

export function findGroup(context: LogsContext, name: string): LogGroupObject | undefined {
  return context.store.get({ kind: logGroupKind, name }) as LogGroupObject | undefined;
}

export function requireGroup(context: LogsContext, name: string): LogGroupObject {
  const group = findGroup(context, name);
  if (!group) throw groupNotFound();
  return group;
}

/** The group an operation names by logGroupName or logGroupIdentifier (a name or an ARN). */
export function groupOfCall(context: LogsContext, input: { logGroupName?: string; logGroupIdentifier?: string }): LogGroupObject {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw logsError("InvalidParameterException", "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  }
  const named = input.logGroupName ?? groupNameOfIdentifier(input.logGroupIdentifier ?? "");
  if (!named) throw logsError("InvalidParameterException", "Either LogGroup name or LogGroup ARN must be present.");
  return requireGroup(context, named);
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` or a bare name, to the name. */
export function groupNameOfIdentifier(identifier: string): string {
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(:\*)?$/.exec(identifier);
  return match ? match[1]! : identifier;
}

export function groupArn(call: CallContext, name: string): string {
  return `arn:aws:logs:${call.region}:${call.accountId}:log-group:${name}`;
}

/** Index of the next page in a token Moor hands out for paged lists. */
export function offsetOfToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^o\/(\d{1,12})$/.exec(token);
  if (!match) throw logsError("InvalidParameterException", "The specified nextToken is invalid.");
  return Number(match[1]);
}

export function tokenOfOffset(offset: number): string {
  return `o/${offset}`;
}
