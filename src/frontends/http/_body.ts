// Reading a request body under a named byte limit, and parsing it as JSON with a clear error.
// Past the limit the reader stops buffering at once and throws; what the client still sends is
// settled by the server's error path (drained, or the connection closed after the answer).

import type { IncomingMessage } from "node:http";
import { RequestError } from "./_errors.js";

/** The whole body, at most `bodyBytesMax` bytes; RequestError BodyTooLarge past it, Aborted if the client leaves. */
export async function readBody(request: IncomingMessage, bodyBytesMax: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > bodyBytesMax) throw tooLarge(bodyBytesMax);
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      sizeBytes += chunk.length;
      if (sizeBytes > bodyBytesMax) throw tooLarge(bodyBytesMax);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof RequestError) throw error;
    throw new RequestError("Aborted", "Cannot read request: the client closed the connection while sending it", { detail: (error as Error).message });
  }
  // A client can end the stream early without an error (an aborted request with a length).
  if (!request.complete) throw new RequestError("Aborted", "Cannot read request: the client closed the connection while sending it");
  return Buffer.concat(chunks);
}

function tooLarge(bodyBytesMax: number): RequestError {
  return new RequestError("BodyTooLarge", `Cannot read request: the body is larger than ${bodyBytesMax} bytes`, { limitBytes: bodyBytesMax });
}

/** JSON.parse of the body as UTF-8; RequestError MalformedJson (with the parser's first line as detail) when it is not JSON. */
export function parseJson(bytes: Buffer | string): unknown {
  const text = typeof bytes === "string" ? bytes : bytes.toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
    throw new RequestError("MalformedJson", `Cannot read request: the body is not valid JSON (${detail})`, { detail });
  }
}
