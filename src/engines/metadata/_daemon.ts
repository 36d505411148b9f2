// The metadata daemon: a process of its own inside the VPC's network namespace (started by
// MetadataServer), serving HTTP on 169.254.169.254:80 from the instances Moor last sent over
// the IPC channel. Argument: JSON `{ address, port }`. It ends with Moor (the IPC channel).

import { createServer } from "node:http";
import { type MetadataAnswer, MetadataService } from "./_answer.js";
import { busyAnswer, type InstanceMountReply, mountCallsMax, mountReplyAnswer, readMountCall } from "./_mounts.js";

const requestBytesMax = 64 * 1024;

function main(): void {
  const { address, port } = JSON.parse(process.argv[2] ?? "{}") as { address: string; port: number };
  const service = new MetadataService();
  // Mount calls waiting for Moor's reply, by call number.
  const pending = new Map<number, (answer: MetadataAnswer) => void>();
  let calls = 0;
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
      const send = (answer: MetadataAnswer) => {
        response.writeHead(answer.status, { ...answer.headers, Server: "EC2ws", "Content-Length": Buffer.byteLength(answer.body) });
        response.end(request.method === "HEAD" ? undefined : answer.body);
      };
      const mount = readMountCall(service, request.method ?? "GET", path, headers, source, Date.now());
      if (!mount) return send(service.answer(request.method ?? "GET", path, headers, source, Date.now()));
      if ("answer" in mount) return send(mount.answer);
      if (pending.size >= mountCallsMax) return send(busyAnswer());
      const id = (calls += 1);
      pending.set(id, send);
      process.send?.({ type: "mount-call", id, call: mount.call });
    });
  });
  process.on("message", (message: { type?: string; instances?: never; id?: number; reply?: InstanceMountReply }) => {
    if (message?.type === "instances") service.publish(message.instances ?? []);
    if (message?.type === "mount-reply" && message.reply) {
      pending.get(message.id ?? 0)?.(mountReplyAnswer(message.reply));
      pending.delete(message.id ?? 0);
    }
  });
  process.on("disconnect", () => process.exit(0));
  server.listen(port, address, () => process.send?.({ type: "ready" }));
}

main();
