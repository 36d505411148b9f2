// One place where a thrown error becomes bytes on the wire: the server's renderer gives the
// protocol's shape, the core adds the framing (length, connection close) and settles whatever
// part of the request body is still unread.

import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";

/** One request in flight: what the handler and the renderer both see. */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** A fresh UUID per request (AWS's x-amzn-RequestId; the log line of an internal error). */
  readonly id: string;
}

/** An error in a protocol's wire form. The core adds Content-Length (and Connection: close when needed). */
export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A server's protocol for errors. `render` gives the wire form of every error the server knows,
 * the core's RequestError among them, and undefined for anything else: that is logged and
 * answered with `internal`. `exchange` is undefined for bytes Node could not parse as a request.
 */
export interface ErrorRenderer {
  render(error: unknown, exchange?: Exchange): WireAnswer | undefined;
  internal(exchange?: Exchange): WireAnswer;
}

export function sendAnswer(response: ServerResponse, answer: WireAnswer, close = false): void {
  response.writeHead(answer.status, { ...answer.headers, "Content-Length": String(Buffer.byteLength(answer.body)), ...(close ? { Connection: "close" } : {}) });
  response.end(answer.body);
}

/** The answer as raw HTTP/1.1 bytes, for a socket Node's parser gave up on; it always closes. */
export function rawAnswer(answer: WireAnswer): string {
  const lines = [`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? "Error"}`];
  for (const [name, value] of Object.entries(answer.headers)) lines.push(`${name}: ${value}`);
  lines.push(`Content-Length: ${Buffer.byteLength(answer.body)}`, "Connection: close");
  return `${lines.join("\r\n")}\r\n\r\n${answer.body}`;
}

/**
 * A refused request may still be arriving. A body of known length up to `drainBytesMax` is read
 * and dropped so the connection stays usable; anything else (larger, or of unknown length) is
 * still read until the answer is out, and then the connection closes. True when it must close.
 */
export function settleUnreadBody(request: IncomingMessage, drainBytesMax: number): boolean {
  if (request.complete) return false;
  request.resume();
  const declared = Number(request.headers["content-length"] ?? Number.NaN);
  return !(declared <= drainBytesMax);
}
