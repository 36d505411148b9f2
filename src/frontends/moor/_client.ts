// The `moor` command's side of the moor API: one request over the data directory's socket.

import { request } from "node:http";

export class MoorApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function callMoorApi(socketPath: string, method: string, path: string, body?: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    // One connection per call (agent: false): a pooled one may be a stale socket of a Moor that has stopped.
    const req = request({ socketPath, agent: false, method, path, headers: payload ? { "content-type": "application/json" } : {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: any;
        try {
          parsed = text ? JSON.parse(text) : {};
        } catch {
          parsed = { error: { message: text } };
        }
        if ((response.statusCode ?? 500) >= 400) reject(new MoorApiError(parsed?.error?.message ?? `HTTP ${response.statusCode}`, response.statusCode ?? 500));
        else resolve(parsed);
      });
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ECONNREFUSED") reject(new MoorApiError("Moor is not running (start it with `moor up -d`)", 503));
      else reject(error);
    });
    req.end(payload);
  });
}
