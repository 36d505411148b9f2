// The metadata daemon: a process of its own inside the VPC's network namespace (started by
// MetadataServer), serving HTTP on port 80 of two addresses: the instance metadata service at
// 169.254.169.254 and the ECS task metadata endpoint at 169.254.170.2, from the instance and
// task sets Moor last sent over the IPC channel. Role credentials (a task's role, an instance profile's role), and the mounts the
// instance image's mount helpers ask for, are asked of Moor over the same channel. Argument: JSON `{ address, taskAddress?, port }`. It ends with Moor (the
// IPC channel).

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type MetadataAnswer, MetadataService } from "./_answer.js";
import { InstanceCredentials } from "./_instance-credentials.js";
import { busyAnswer, type InstanceMountCall, type InstanceMountReply, mountCallsMax, mountReplyAnswer, readMountCall } from "./_mounts.js";
import { type TaskCredentials, TaskMetadataService } from "./_task-answer.js";

const requestBytesMax = 64 * 1024;
/** Credentials asked of Moor and not yet answered, at most. */
const issuesPendingMax = 1_000;
const issueTimeoutMs = 10_000;

interface Arguments {
  address: string;
  taskAddress?: string;
  port: number;
}

function reply(request: IncomingMessage, response: ServerResponse, answer: MetadataAnswer, server: string): void {
  response.writeHead(answer.status, { ...answer.headers, Server: server, "Content-Length": Buffer.byteLength(answer.body) });
  response.end(request.method === "HEAD" ? undefined : answer.body);
}

/** Asks Moor for credentials over the IPC channel; `answered` settles the request Moor answers. */
function credentialsChannel() {
  const pending = new Map<number, (issued: TaskCredentials | { error: string }) => void>();
  let nextIssue = 1;
  const issue = (roleArn: string, sessionName: string): Promise<TaskCredentials | { error: string }> => {
    if (pending.size >= issuesPendingMax || !process.connected) return Promise.resolve({ error: "Moor is busy or not running" });
    const requestId = nextIssue++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle({ error: `Moor did not answer within ${issueTimeoutMs} ms` }), issueTimeoutMs);
      const settle = (issued: TaskCredentials | { error: string }) => {
        clearTimeout(timer);
        pending.delete(requestId);
        resolve(issued);
      };
      pending.set(requestId, settle);
      process.send?.({ type: "issue-credentials", requestId, roleArn, sessionName });
    });
  };
  const answered = (requestId: number, issued: TaskCredentials | { error: string }) => pending.get(requestId)?.(issued);
  return { issue, answered };
}

/** Passes an instance's mount calls to Moor; `replied` answers the call Moor replied to. */
function mountChannel() {
  const pending = new Map<number, (answer: MetadataAnswer) => void>();
  let calls = 0;
  const call = (mount: InstanceMountCall, send: (answer: MetadataAnswer) => void) => {
    if (pending.size >= mountCallsMax) return send(busyAnswer());
    const id = (calls += 1);
    pending.set(id, send);
    process.send?.({ type: "mount-call", id, call: mount });
  };
  const replied = (id: number, answer: InstanceMountReply) => {
    pending.get(id)?.(mountReplyAnswer(answer));
    pending.delete(id);
  };
  return { call, replied };
}

function main(): void {
  const { address, taskAddress, port } = JSON.parse(process.argv[2] ?? "{}") as Arguments;
  const instances = new MetadataService();
  const tasks = new TaskMetadataService();
  const instanceCredentials = new InstanceCredentials();
  const { issue, answered } = credentialsChannel();
  const mounts = mountChannel();
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const source = (request.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const local = (request.socket.localAddress ?? "").replace(/^::ffff:/, "");
    const path = (request.url ?? "/").split("?")[0]!;
    if (taskAddress && local === taskAddress) {
      const outcome = tasks.answer(request.method ?? "GET", path, source, Date.now());
      const answer = "answer" in outcome ? outcome.answer : tasks.credentialsAnswer(outcome.id, await issue(outcome.issue.roleArn, outcome.issue.sessionName));
      return reply(request, response, answer, "moor-task-metadata");
    }
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
    const send = (answer: MetadataAnswer) => reply(request, response, answer, "EC2ws");
    const credentials = instanceCredentials.call(instances, request.method ?? "GET", path, headers, source, Date.now());
    if (credentials && "answer" in credentials) return send(credentials.answer);
    if (credentials) return send(instanceCredentials.issued(credentials.instanceId, credentials.issue.roleArn, await issue(credentials.issue.roleArn, credentials.issue.sessionName), Date.now()));
    const mount = readMountCall(instances, request.method ?? "GET", path, headers, source, Date.now());
    if (!mount) return send(instances.answer(request.method ?? "GET", path, headers, source, Date.now()));
    if ("answer" in mount) return send(mount.answer);
    mounts.call(mount.call, send);
  };
  const serve = (request: IncomingMessage, response: ServerResponse) => {
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > requestBytesMax) request.destroy();
    });
    request.on("end", () => void handle(request, response).catch(() => response.destroy()));
  };
  process.on("message", (message: { type?: string; instances?: never; tasks?: never; requestId?: number; issued?: TaskCredentials | { error: string }; id?: number; reply?: InstanceMountReply }) => {
    if (message?.type === "instances") instances.publish(message.instances ?? []);
    if (message?.type === "tasks") tasks.publish(message.tasks ?? []);
    if (message?.type === "credentials") answered(message.requestId ?? 0, message.issued ?? { error: "no answer" });
    if (message?.type === "mount-reply" && message.reply) mounts.replied(message.id ?? 0, message.reply);
  });
  process.on("disconnect", () => process.exit(0));
  // One server per address; the local address of a connection says which service answers.
  const addresses = taskAddress ? [address, taskAddress] : [address];
  let listening = 0;
  for (const local of addresses) createServer(serve).listen(port, local, () => ++listening === addresses.length && process.send?.({ type: "ready" }));
}

main();
