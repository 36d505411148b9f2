// DescribeLogStreams: a group's streams by name (optionally a prefix) or by last event time,
// either direction, paged by `limit` (at most 50) and nextToken.

import type { CallContext, LogsContext, StreamRecord } from "./_context.js";
import { groupArn, groupOfCall, logsError, offsetOfToken, tokenOfOffset } from "./_context.js";

export interface DescribeLogStreamsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamNamePrefix?: string;
  orderBy?: "LogStreamName" | "LastEventTime";
  descending?: boolean;
  nextToken?: string;
  limit?: number;
}

const pageMax = 50;

/** AWS's upload sequence token: a long decimal string that grows with each accepted batch. */
export function sequenceToken(stream: StreamRecord): string {
  return String(stream.uploads + 1).padStart(56, "4");
}

export function logStreamOutput(call: CallContext, stream: StreamRecord) {
  return {
    logStreamName: stream.name,
    creationTime: stream.creationTime,
    ...(stream.firstEventTimestamp !== undefined ? { firstEventTimestamp: stream.firstEventTimestamp } : {}),
    ...(stream.lastEventTimestamp !== undefined ? { lastEventTimestamp: stream.lastEventTimestamp } : {}),
    ...(stream.lastIngestionTime !== undefined ? { lastIngestionTime: stream.lastIngestionTime } : {}),
    uploadSequenceToken: sequenceToken(stream),
    arn: `${groupArn(call, stream.group)}:log-stream:${stream.name}`,
    storedBytes: stream.storedBytes,
  };
}

export function describeLogStreams(context: LogsContext, input: DescribeLogStreamsInput, call: CallContext) {
  const group = groupOfCall(context, input);
  const orderBy = input.orderBy ?? "LogStreamName";
  if (orderBy === "LastEventTime" && input.logStreamNamePrefix !== undefined) {
    throw logsError("InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix.");
  }
  const offset = offsetOfToken(input.nextToken);
  const limit = Math.min(input.limit ?? pageMax, pageMax);
  // One more than the page tells whether another page follows.
  const streams = context.events.streams(group.metadata.name, { prefix: input.logStreamNamePrefix, orderBy, descending: input.descending ?? false, offset, limit: limit + 1 });
  const page = streams.slice(0, limit);
  return { logStreams: page.map((stream) => logStreamOutput(call, stream)), ...(streams.length > limit ? { nextToken: tokenOfOffset(offset + limit) } : {}) };
}
