// Ships one container run's output (one restart count) to its log group and stream: makes the
// group (when asked) and the stream, follows the output through PodIO with timestamps, and
// appends it in batches with PutLogEvents. How many lines of the run went out is recorded after
// each batch, so a restarted Moor resumes where it stopped instead of sending lines twice.

import type { Clock, Timer } from "../../clock/mod.js";
import { isMoorError, MoorError } from "../../errors/mod.js";
import type { LogsService } from "../../services/logs/mod.js";
import type { PodIO, PodRef } from "../../agent/mod.js";
import type { AwsLogsDestination } from "./_annotation.js";

/** How far a run was shipped, by key (the log engine keeps these marks). */
export interface ShipProgress {
  progress(key: string): number;
  recordProgress(key: string, value: number): void;
}

export interface ShipperContext {
  logs: LogsService;
  podIO: () => PodIO;
  progress: ShipProgress;
  clock: Clock;
  accountId: string;
  region: string;
}

export interface ShipTarget {
  pod: PodRef;
  container: string;
  /** `<pod uid>/<container>/<restart count>`: one run of the container. */
  runKey: string;
  destination: AwsLogsDestination;
}

/** Lines sent in one PutLogEvents call, at most. */
export const batchLinesMax = 1_000;
/** Bytes of messages in one call, at most (AWS allows 1 MB with 26 bytes per event). */
const batchBytesMax = 512 * 1024;
/** AWS's largest event message. */
const messageBytesMax = 256 * 1024 - 26;
/** How long a line may wait for more before its batch goes out. */
export const flushDelayMs = 100;

/** The ECS agent's words when the awslogs driver cannot start (the task's stoppedReason). */
function loggerFailure(error: MoorError): MoorError {
  const text = `ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ${error.code}: ${error.message} : exit status 1`;
  return new MoorError(error.category, text, { code: error.code });
}

function ignoreExisting(action: () => void): void {
  try {
    action();
  } catch (error) {
    if (!(isMoorError(error) && error.code === "ResourceAlreadyExistsException")) throw error;
  }
}

function ensureDestination(context: ShipperContext, destination: AwsLogsDestination): void {
  const call = { region: destination.region || context.region, accountId: context.accountId, requestId: "awslogs" };
  const operations = context.logs.operations;
  try {
    if (destination.createGroup) ignoreExisting(() => operations.CreateLogGroup({ logGroupName: destination.group }, call));
    ignoreExisting(() => operations.CreateLogStream({ logGroupName: destination.group, logStreamName: destination.stream }, call));
  } catch (error) {
    throw isMoorError(error) ? loggerFailure(error) : error;
  }
}

interface Pending {
  events: { timestamp: number; message: string }[];
  bytes: number;
  lastTimestamp: number;
}

/** A CRI-formatted line with its timestamp (`2026-03-01T10:00:00.123456789Z text`) as an event. */
export function eventOfLine(line: string, previous: number): { timestamp: number; message: string } {
  const space = line.indexOf(" ");
  const parsed = space > 0 ? Date.parse(line.slice(0, space)) : NaN;
  const message = Number.isNaN(parsed) ? line : line.slice(space + 1);
  const bounded = Buffer.byteLength(message) > messageBytesMax ? Buffer.from(message).subarray(0, messageBytesMax).toString("utf8") : message;
  // PutLogEvents wants a batch in time order; stdout and stderr may interleave out of it.
  return { timestamp: Math.max(Number.isNaN(parsed) ? previous : parsed, previous), message: bounded };
}

/** Follows the run's output until it ends (or `signal` aborts), shipping every line once. */
export async function ship(context: ShipperContext, target: ShipTarget, signal: AbortSignal): Promise<void> {
  ensureDestination(context, target.destination);
  let skip = context.progress.progress(target.runKey);
  let shipped = skip;
  const pending: Pending = { events: [], bytes: 0, lastTimestamp: 0 };
  let timer: Timer | undefined;
  let failure: unknown;
  const flush = () => {
    timer?.cancel();
    timer = undefined;
    if (pending.events.length === 0) return;
    const call = { region: target.destination.region || context.region, accountId: context.accountId, requestId: "awslogs" };
    context.logs.operations.PutLogEvents({ logGroupName: target.destination.group, logStreamName: target.destination.stream, logEvents: pending.events }, call);
    shipped += pending.events.length;
    context.progress.recordProgress(target.runKey, shipped);
    pending.events = [];
    pending.bytes = 0;
  };
  // A batch sent from a timer has no caller to throw to: its failure ends the loop instead.
  const flushLater = () => {
    try {
      flush();
    } catch (error) {
      failure = error;
    }
  };
  const lines = await context.podIO().logs(target.pod, target.container, { follow: true, timestamps: true, signal });
  let carry = "";
  try {
    for await (const chunk of lines) {
      const parts = (carry + String(chunk)).split("\n");
      carry = parts.pop() ?? "";
      for (const line of parts) {
        if (skip > 0) {
          skip -= 1;
          continue;
        }
        const event = eventOfLine(line, pending.lastTimestamp);
        pending.lastTimestamp = event.timestamp;
        if (pending.bytes + event.message.length > batchBytesMax) flush();
        pending.events.push(event);
        pending.bytes += Buffer.byteLength(event.message) + 26;
        if (pending.events.length >= batchLinesMax) flush();
      }
      if (failure !== undefined) throw failure;
      if (pending.events.length > 0 && !timer) timer = context.clock.after(flushDelayMs, () => flushLater());
      if (signal.aborted) break;
    }
    if (carry !== "" && skip === 0) pending.events.push(eventOfLine(carry, pending.lastTimestamp));
  } finally {
    flush();
  }
}
