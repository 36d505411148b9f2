// Reading a request body under a named byte limit, and parsing it as JSON with a clear error.
// Past the limit the reader stops buffering at once and throws; what the client still sends is
// settled by the server's error path (drained, or the connection closed after the answer).

import type { IncomingMessage } from "node:http";
import { RequestError } from "./_errors.js";

/**
 * The whole body, at most `bodyBytesMax` bytes; RequestError BodyTooLarge past it, Aborted if the
 * client leaves. Listeners rather than `for await`, whose early exit would destroy the request
 * (and with it the connection the answer has to go out on).
 */
export function readBody(request: IncomingMessage, bodyBytesMax: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > bodyBytesMax) return Promise.reject(tooLarge(bodyBytesMax));
  // Read already (no more events will come): nothing is left, as `for await` would find.
  if (request.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let sizeBytes = 0;
    const finish = (error?: RequestError) => {
      request.off("data", onData).off("end", onEnd).off("error", onGone).off("close", onGone);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      sizeBytes += chunk.length;
      if (sizeBytes > bodyBytesMax) finish(tooLarge(bodyBytesMax));
      else chunks.push(chunk);
    };
    // A client can end the stream early without an error (an aborted request with a length).
    const onEnd = () => finish(request.complete ? undefined : aborted());
    const onGone = () => finish(aborted());
    request.on("data", onData).on("end", onEnd).on("error", onGone).on("close", onGone);
  });
}

function aborted(): RequestError {
  return new RequestError("Aborted", "Cannot read request: the client closed the connection while sending it");
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
