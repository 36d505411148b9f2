// FilterLogEvents: the events of a group (or of named streams, or of streams with a prefix) in
// a time range that match a filter pattern, in time order. A call scans a bounded number of
// events; when it stops before the end it hands back a token to go on from, as AWS does.

import { groupOfCall, type LogsContext, logsError } from "./_context.js";
import { compilePattern } from "./_filter-pattern.js";
import { decodeToken, encodeToken, fittingCount } from "./_tokens.js";

export interface FilterLogEventsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamNames?: string[];
  logStreamNamePrefix?: string;
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  nextToken?: string;
  limit?: number;
  interleaved?: boolean;
}

const eventsMax = 10_000;
const scanBatch = 1_000;
const scanMax = 100_000;

export function filterLogEvents(context: LogsContext, input: FilterLogEventsInput) {
  const group = groupOfCall(context, input).metadata.name;
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw logsError("InvalidParameterException", "logStreamNames and logStreamNamePrefix are mutually exclusive");
  }
  const matches = compilePattern(input.filterPattern);
  const limit = Math.min(input.limit ?? eventsMax, eventsMax);
  let after = input.nextToken === undefined ? undefined : decodeToken(input.nextToken, ["n"]).cursor;
  const found = [];
  let scanned = 0;
  let exhausted = false;
  while (found.length < limit && scanned < scanMax) {
    const batch = context.events.events({ group, streams: input.logStreamNames, streamPrefix: input.logStreamNamePrefix, startTime: input.startTime, endTime: input.endTime, after, limit: scanBatch });
    for (const event of batch) {
      after = { timestamp: event.timestamp, sequence: event.sequence };
      scanned += 1;
      if (matches(event.message)) found.push(event);
      if (found.length === limit) break;
    }
    if (batch.length < scanBatch && found.length < limit) exhausted = true;
    if (exhausted) break;
  }
  const kept = found.slice(0, fittingCount(found));
  if (kept.length < found.length) {
    const last = kept[kept.length - 1];
    after = last ? { timestamp: last.timestamp, sequence: last.sequence } : after;
    exhausted = false;
  }
  return {
    events: kept.map((event) => ({
      logStreamName: event.stream,
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
      eventId: `${String(event.timestamp).padStart(20, "0")}${String(event.sequence).padStart(36, "0")}`,
    })),
    searchedLogStreams: [],
    ...(!exhausted && after ? { nextToken: encodeToken("n", after) } : {}),
  };
}
