// GetLogEvents: one stream's events in time order. Without a token: the newest `limit` events,
// or the oldest with startFromHead. A forward token continues after the last event returned, a
// backward token before the first; with nothing new the same token comes back, which is how the
// SDK's paginator (stopOnSameToken) and `moor logs tail --follow` know they are at the end.

import { type Cursor, type EventRecord, groupOfCall, type LogsContext, streamNotFound } from "./_context.js";
import { decodeToken, encodeToken, fittingCount, type Position } from "./_tokens.js";

export interface GetLogEventsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamName: string;
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  limit?: number;
  startFromHead?: boolean;
}

const eventsMax = 10_000;

function cursorOf(event: EventRecord): Cursor {
  return { timestamp: event.timestamp, sequence: event.sequence };
}

function read(context: LogsContext, input: GetLogEventsInput, group: string, position: Position | undefined): EventRecord[] {
  const base = { group, streams: [input.logStreamName], startTime: input.startTime, endTime: input.endTime, limit: Math.min(input.limit ?? eventsMax, eventsMax) };
  if (position?.direction === "f" || (!position && input.startFromHead)) {
    const events = context.events.events({ ...base, after: position?.cursor });
    return events.slice(0, fittingCount(events));
  }
  const newest = context.events.events({ ...base, before: position?.cursor, newestFirst: true });
  return newest.slice(0, fittingCount(newest)).reverse();
}

export function getLogEvents(context: LogsContext, input: GetLogEventsInput) {
  const group = groupOfCall(context, input).metadata.name;
  if (!context.events.stream(group, input.logStreamName)) throw streamNotFound();
  const position = input.nextToken === undefined ? undefined : decodeToken(input.nextToken, ["f", "b"]);
  const events = read(context, input, group, position);
  const start: Cursor = { timestamp: input.startTime ?? 0, sequence: 0 };
  const first = events[0];
  const last = events[events.length - 1];
  // With nothing returned, a token stays where the caller was.
  const forward = last ? cursorOf(last) : position?.direction === "f" ? position.cursor : (position?.cursor ?? start);
  const backward = first ? cursorOf(first) : position?.direction === "b" ? position.cursor : (position?.cursor ?? start);
  return {
    events: events.map((event) => ({ timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime })),
    nextForwardToken: encodeToken("f", forward),
    nextBackwardToken: encodeToken("b", backward),
  };
}
