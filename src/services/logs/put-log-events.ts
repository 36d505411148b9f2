// PutLogEvents: a batch of events in chronological order into an existing stream. Events more
// than 14 days old or past the group's retention, or more than 2 hours ahead, are left out and
// reported as AWS reports them; the sequence token is accepted and ignored, as AWS now does.

import { type LogsContext, logsError, requireGroup, streamNotFound } from "./_context.js";
import { sequenceToken } from "./describe-log-streams.js";

export interface PutLogEventsInput {
  logGroupName: string;
  logStreamName: string;
  logEvents: { timestamp: number; message: string }[];
  sequenceToken?: string;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const tooOldMs = 14 * dayMs;
const tooNewMs = 2 * hourMs;
const batchSpanMs = dayMs;
const batchBytesMax = 1_048_576;
const eventOverheadBytes = 26;

function checkBatch(events: PutLogEventsInput["logEvents"]): void {
  let bytes = 0;
  for (let index = 0; index < events.length; index += 1) {
    bytes += Buffer.byteLength(events[index]!.message) + eventOverheadBytes;
    if (index > 0 && events[index]!.timestamp < events[index - 1]!.timestamp) {
      throw logsError("InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order.");
    }
  }
  if (events.length > 0 && events[events.length - 1]!.timestamp - events[0]!.timestamp > batchSpanMs) {
    throw logsError("InvalidParameterException", "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
  }
  if (bytes > batchBytesMax) throw logsError("InvalidParameterException", `Upload too large: ${bytes} bytes exceeds limit of ${batchBytesMax}`);
}

export function putLogEvents(context: LogsContext, input: PutLogEventsInput) {
  const group = requireGroup(context, input.logGroupName);
  const events = input.logEvents;
  checkBatch(events);
  const now = context.now();
  const retention = group.spec.retentionInDays;
  const expiredBefore = retention === undefined ? -Infinity : now - retention * dayMs;
  const oldBefore = now - tooOldMs;
  let first = 0;
  while (first < events.length && (events[first]!.timestamp < oldBefore || events[first]!.timestamp < expiredBefore)) first += 1;
  let end = events.length;
  while (end > first && events[end - 1]!.timestamp > now + tooNewMs) end -= 1;
  const rejected: Record<string, number> = {};
  const tooOld = events.slice(0, first).filter((event) => event.timestamp < oldBefore).length;
  if (tooOld > 0) rejected.tooOldLogEventEndIndex = tooOld - 1;
  if (first > 0 && retention !== undefined && events[first - 1]!.timestamp < expiredBefore) rejected.expiredLogEventEndIndex = first - 1;
  if (end < events.length) rejected.tooNewLogEventStartIndex = end;
  const stream = context.events.append(input.logGroupName, input.logStreamName, events.slice(first, end), now);
  if (!stream) throw streamNotFound();
  return { nextSequenceToken: sequenceToken(stream), ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}) };
}
