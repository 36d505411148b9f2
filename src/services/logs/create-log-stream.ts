// CreateLogStream and DeleteLogStream: streams live in the log engine, under a group that
// exists in the store.

import { type LogsContext, logsError, requireGroup, streamNotFound } from "./_context.js";

export interface StreamInput {
  logGroupName: string;
  logStreamName: string;
}

export function createLogStream(context: LogsContext, input: StreamInput): void {
  requireGroup(context, input.logGroupName);
  if (!context.events.createStream(input.logGroupName, input.logStreamName, context.now())) {
    throw logsError("ResourceAlreadyExistsException", "The specified log stream already exists");
  }
}

export function deleteLogStream(context: LogsContext, input: StreamInput): void {
  requireGroup(context, input.logGroupName);
  if (!context.events.deleteStream(input.logGroupName, input.logStreamName)) throw streamNotFound();
}
