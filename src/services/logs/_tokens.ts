// Read tokens: a position between events, (timestamp, sequence), with a direction. GetLogEvents
// hands out `f/…` (forward) and `b/…` (backward) tokens as AWS does, 36 digits after the slash;
// FilterLogEvents hands out its own opaque kind.

import { type Cursor, logsError } from "./_context.js";

export type Direction = "f" | "b" | "n";

export interface Position {
  direction: Direction;
  cursor: Cursor;
}

const timestampDigits = 20;
const sequenceDigits = 16;

export function encodeToken(direction: Direction, cursor: Cursor): string {
  return `${direction}/${String(cursor.timestamp).padStart(timestampDigits, "0")}${String(cursor.sequence).padStart(sequenceDigits, "0")}`;
}

/** The position a token names; a token of another kind or shape is refused as AWS refuses it. */
export function decodeToken(token: string, allowed: readonly Direction[]): Position {
  const match = /^([fbn])\/(\d{20})(\d{16})$/.exec(token);
  if (!match || !allowed.includes(match[1] as Direction)) throw logsError("InvalidParameterException", "The specified nextToken is invalid.");
  return { direction: match[1] as Direction, cursor: { timestamp: Number(match[2]), sequence: Number(match[3]) } };
}

/** How many of the events fit in AWS's 1 MB response, counting 26 bytes each as AWS does. */
export function fittingCount(events: readonly { message: string }[], bytesMax = 1_048_576): number {
  let bytes = 0;
  for (let index = 0; index < events.length; index += 1) {
    bytes += Buffer.byteLength(events[index]!.message) + 26;
    if (bytes > bytesMax) return index;
  }
  return events.length;
}
