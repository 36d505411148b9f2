// pods/{name}/exec over WebSocket (`v5.channel.k8s.io`, and v4 for older clients): binary frames
// whose first byte is the channel (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize, 255 close
// of stdin in v5). The command runs through the node agent's PodIO port; the exit status goes
// out last on channel 3, as kubectl needs it to report the exit code.

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { isMoorError } from "../../errors/mod.js";
import { resourceForKind } from "../../domain/kube/mod.js";
import type { ExecSession } from "../../agent/mod.js";
import type { ApiContext } from "./_context.js";
import { queryFlag } from "./_http.js";
import { pickContainer } from "./_logs.js";
import { getObject } from "./_read.js";
import { badRequest, HttpError, statusOf } from "./_status.js";

const podResource = resourceForKind("Pod")!;
const protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

export const execSockets = new WebSocketServer({
  noServer: true,
  maxPayload: 16 * 1024 * 1024,
  handleProtocols: (offered) => protocols.find((protocol) => offered.has(protocol)) ?? false,
});

interface ExecRequest {
  namespace: string;
  name: string;
  container: string;
  command: string[];
  stdin: boolean;
  tty: boolean;
}

/** Checks the request before the upgrade, so refusals reach kubectl as a Status it prints. */
export function prepareExec(api: ApiContext, namespace: string, name: string, query: URLSearchParams): ExecRequest {
  const pod = getObject(api, podResource, namespace, name);
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") throw badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const container = pickContainer(pod, query.get("container"));
  const command = query.getAll("command");
  if (command.length === 0) throw badRequest("you must specify at least 1 command");
  const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((item: any) => item.name === container);
  if (!status?.state?.running) throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
  if (!api.podIO()) throw new HttpError(503, "ServiceUnavailable", `Cannot exec in pod "${name}": no node agent serves exec`);
  return { namespace, name, container, command, stdin: queryFlag(query, "stdin"), tty: queryFlag(query, "tty") };
}

export function upgradeExec(api: ApiContext, req: IncomingMessage, socket: Duplex, head: Buffer, request: ExecRequest): void {
  execSockets.handleUpgrade(req, socket, head, (ws) => {
    runExec(api, ws, request).catch((error) => {
      sendStatus(ws, { metadata: {}, status: "Failure", message: statusOf(error).message, reason: "InternalError" });
    });
  });
}

function frame(channel: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}

function sendStatus(ws: WebSocket, status: Record<string, unknown>): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(frame(3, Buffer.from(JSON.stringify(status))), () => ws.close(1000));
}

async function runExec(api: ApiContext, ws: WebSocket, request: ExecRequest): Promise<void> {
  const abort = new AbortController();
  ws.on("close", () => abort.abort());
  let session: ExecSession;
  try {
    session = await api.podIO()!.exec({ namespace: request.namespace, name: request.name }, request.container, request.command, {
      stdin: request.stdin,
      tty: request.tty,
      signal: abort.signal,
    });
  } catch (error) {
    const message = isMoorError(error) ? error.message : `failed to exec: ${(error as Error).message}`;
    sendStatus(ws, { metadata: {}, status: "Failure", message, reason: "InternalError" });
    return;
  }
  ws.on("message", (data: Buffer) => {
    const channel = data[0];
    const payload = data.subarray(1);
    if (channel === 0) session.stdin?.write(payload);
    else if (channel === 4) resize(session, payload);
    else if (channel === 255 && payload[0] === 0) session.stdin?.end();
  });
  const drained = [session.stdout, session.stderr].filter(Boolean).map(
    (stream) =>
      new Promise<void>((resolve) => {
        stream!.on("data", (chunk: Buffer) => {
          if (ws.readyState === ws.OPEN) ws.send(frame(stream === session.stdout ? 1 : 2, chunk));
        });
        stream!.once("end", resolve);
        stream!.once("close", resolve);
        stream!.once("error", () => resolve());
      }),
  );
  const exit = await session.exit;
  await Promise.race([Promise.all(drained), new Promise((resolve) => setTimeout(resolve, 2000))]);
  if (exit.code === 0 && !exit.signal) {
    sendStatus(ws, { metadata: {}, status: "Success" });
    return;
  }
  const code = exit.code || 137;
  sendStatus(ws, {
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: error executing command [${request.command.join(" ")}], exit code ${code}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(code) }] },
  });
}

function resize(session: ExecSession, payload: Buffer): void {
  try {
    const size = JSON.parse(payload.toString("utf8"));
    if (Number.isInteger(size.Width) && Number.isInteger(size.Height)) session.resize(size.Width, size.Height);
  } catch {
    // A malformed resize message changes nothing.
  }
}
