// A pass-through HTTP proxy in front of Moor's AWS endpoint that counts the requests it saw by
// method and path, so a test can say how many times a waiter polled.

import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface CountingProxy {
  endpoint: string;
  count(method: string, path: string): number;
  close(): Promise<void>;
}

export async function countingProxy(target: string): Promise<CountingProxy> {
  const seen = new Map<string, number>();
  const upstream = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const key = `${incoming.method} ${new URL(incoming.url ?? "/", "http://x").pathname}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const forward = request({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forward.on("error", () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: (method, path) => seen.get(`${method} ${path}`) ?? 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
