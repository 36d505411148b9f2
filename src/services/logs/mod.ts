// The CloudWatch Logs service: log groups (objects in the store, with retention and tags),
// log streams and their events (in the log engine, through the LogEventPort, so that a busy
// container's output never passes through the store's watch history), reads in time order
// with AWS's forward and backward tokens, and filter patterns over a group's events.
//
// Contract with the AWS front end: `operations` by the model's operation name (json 1.1,
// `Logs_20140328`), each taking the input in the model's member names and a CallContext,
// returning the output shape's members; errors are MoorErrors whose `code` is the exception
// shape's name (ResourceNotFoundException, ResourceAlreadyExistsException, ...) and whose
// message is AWS's text. In-process callers (the awslogs shipper) call the same operations.
//
// Lifecycle: `createLogsService(...)`; `expireEvents()` drops events past each group's
// retention (the shipper's controller calls it now and then).

import type { Store } from "../../store/mod.js";
import { type CallContext, type LogEventPort, logGroupKind, type LogGroupObject, type LogsContext } from "./_context.js";
import { createLogGroup } from "./create-log-group.js";
import { createLogStream, deleteLogStream } from "./create-log-stream.js";
import { deleteLogGroup } from "./delete-log-group.js";
import { describeLogGroups } from "./describe-log-groups.js";
import { describeLogStreams } from "./describe-log-streams.js";
import { filterLogEvents } from "./filter-log-events.js";
import { getLogEvents } from "./get-log-events.js";
import { putLogEvents } from "./put-log-events.js";
import { deleteRetentionPolicy, putRetentionPolicy } from "./put-retention-policy.js";
import { listTagsLogGroup, tagLogGroup, untagLogGroup } from "./tag-log-group.js";
import { listTagsForResource, tagResource, untagResource } from "./tag-resource.js";

export type { CallContext, EventRecord, LogEventPort, StreamRecord } from "./_context.js";
export { logGroupKind } from "./_context.js";

const operations = {
  CreateLogGroup: createLogGroup,
  CreateLogStream: createLogStream,
  DeleteLogGroup: deleteLogGroup,
  DeleteLogStream: deleteLogStream,
  DeleteRetentionPolicy: deleteRetentionPolicy,
  DescribeLogGroups: describeLogGroups,
  DescribeLogStreams: describeLogStreams,
  FilterLogEvents: filterLogEvents,
  GetLogEvents: getLogEvents,
  ListTagsForResource: listTagsForResource,
  ListTagsLogGroup: listTagsLogGroup,
  PutLogEvents: putLogEvents,
  PutRetentionPolicy: putRetentionPolicy,
  TagLogGroup: tagLogGroup,
  TagResource: tagResource,
  UntagLogGroup: untagLogGroup,
  UntagResource: untagResource,
};

type Operations = typeof operations;

/** One method per Logs action, by the model's operation name. */
export type LogsOperations = {
  [Name in keyof Operations]: (input: Parameters<Operations[Name]>[1], call: CallContext) => ReturnType<Operations[Name]>;
};

export interface LogsService {
  /** botocore's service name, by which the AWS front end finds the model. */
  readonly name: "logs";
  readonly operations: LogsOperations;
  /** Drops the events each group's retention no longer keeps; returns how many. */
  expireEvents(): number;
}

export interface LogsServiceOptions {
  store: Store;
  events: LogEventPort;
  region: string;
  accountId: string;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

const dayMs = 86_400_000;

export function createLogsService(options: LogsServiceOptions): LogsService {
  const context: LogsContext = { store: options.store, events: options.events, region: options.region, accountId: options.accountId, now: options.now ?? Date.now };
  const bound = Object.fromEntries(
    Object.entries(operations).map(([name, operation]) => [
      name,
      (input: unknown, call: CallContext) => (operation as (context: LogsContext, input: unknown, call: CallContext) => unknown)(context, input ?? {}, call),
    ]),
  ) as unknown as LogsOperations;
  const expireEvents = () => {
    let removed = 0;
    for (const group of context.store.list(logGroupKind).items as LogGroupObject[]) {
      const days = group.spec.retentionInDays;
      if (days !== undefined) removed += context.events.expire(group.metadata.name, context.now() - days * dayMs);
    }
    return removed;
  };
  return { name: "logs", operations: bound, expireEvents };
}
