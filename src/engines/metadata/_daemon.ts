// The metadata daemon: a process of its own inside the VPC's network namespace (started by
// MetadataServer), serving HTTP on 169.254.169.254:80 from the instances Moor last sent over
// the IPC channel. Argument: JSON `{ address, port }`. It ends with Moor (the IPC channel).

import { createServer } from "node:http";
import { MetadataService } from "./_answer.js";

const requestBytesMax = 64 * 1024;

function main(): void {
  const { address, port } = JSON.parse(process.argv[2] ?? "{}") as { address: string; port: number };
  const service = new MetadataService();
  const server = createServer((request, response) => {
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > requestBytesMax) request.destroy();
    });
    request.on("end", () => {
      const source = (request.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
      const path = (request.url ?? "/").split("?")[0]!;
      const answer = service.answer(request.method ?? "GET", path, headers, source, Date.now());
      response.writeHead(answer.status, { ...answer.headers, Server: "EC2ws", "Content-Length": Buffer.byteLength(answer.body) });
      response.end(request.method === "HEAD" ? undefined : answer.body);
    });
  });
  process.on("message", (message: { type?: string; instances?: never }) => {
    if (message?.type === "instances") service.publish(message.instances ?? []);
  });
  process.on("disconnect", () => process.exit(0));
  server.listen(port, address, () => process.send?.({ type: "ready" }));
}

main();
