// The AWS protocols' HTTP server: bounded body reading, routing to a service's operation, and
// errors in the service's wire form (`x-amzn-ErrorType` header plus the service's body). Every
// request gets an answer: malformed input is a 4xx, and only a failure of Moor itself is a 500.

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Component } from "../../component/mod.js";
import { isMoorError, MoorError } from "../../errors/mod.js";
import type { AwsHandler, AwsRequest, AwsResponse, AwsService, QueryParameters } from "./mod.js";
import { matchPath, parsePathTemplate, type PathTemplate, split } from "./_router.js";

/** Request bodies above this size are refused (EFS's largest input, a policy, is 20,000 chars). */
export const bodyBytesMax = 1024 * 1024;
/** Past the limit the body is read and dropped up to this size, then the connection is cut. */
const drainBytesMax = 64 * 1024 * 1024;

export interface AwsServerOptions {
  host: string;
  port: number;
  services: AwsService[];
}

interface Route {
  service: AwsService;
  name: string;
  method: string;
  template: PathTemplate;
  handle: AwsHandler;
}

class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class AwsServer implements Component {
  readonly name = "aws-api";
  readonly #options: AwsServerOptions;
  readonly #routes: Route[];
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;

  constructor(options: AwsServerOptions) {
    this.#options = options;
    this.#routes = options.services
      .flatMap((service) => (service.restJson ?? []).map((operation) => ({ service, name: operation.name, method: operation.method, template: parsePathTemplate(operation.path), handle: operation.handle })))
      // Literal segments win over labels: `/file-systems/replication-configurations` is not an id.
      .sort((a, b) => b.template.literals - a.template.literals);
  }

  /** The port the server listens on (useful when configured with 0). */
  get port(): number {
    const address = this.#server?.address();
    return typeof address === "object" && address ? address.port : this.#options.port;
  }

  async start(): Promise<void> {
    for (const service of this.#options.services) await service.start?.();
    const server = createServer({ keepAliveTimeout: 5000 }, (request, response) => void this.#serve(request, response));
    server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
    server.on("clientError", (error, socket) => answerBrokenRequest(error as NodeJS.ErrnoException, socket as Socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#options.port, this.#options.host, () => resolve());
    });
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      setTimeout(() => this.#sockets.forEach((socket) => socket.destroy()), 2000).unref();
      await closed;
    }
    for (const service of [...this.#options.services].reverse()) await service.stop?.();
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let service: AwsService | undefined;
    try {
      const url = new URL(request.url ?? "/", "http://moor");
      const target = header(request, "x-amz-target");
      let handle: AwsHandler;
      let params: Record<string, string> = {};
      if (target !== undefined) {
        ({ service, handle } = this.#jsonRoute(target));
      } else {
        ({ service, handle, params } = this.#restJsonRoute(request.method ?? "GET", url.pathname));
      }
      const bytes = await readBody(request);
      const awsRequest: AwsRequest = {
        method: request.method ?? "GET",
        params,
        query: queryOf(url.searchParams),
        body: parseJsonBody(bytes),
        headers: request.headers,
        requestId,
      };
      send(response, requestId, await handle(awsRequest));
    } catch (error) {
      this.#sendError(response, requestId, service, error);
    }
  }

  #restJsonRoute(method: string, pathname: string): { service: AwsService; handle: AwsHandler; params: Record<string, string> } {
    const segments = split(pathname);
    let allowed: Route | undefined;
    for (const route of this.#routes) {
      let params: Record<string, string> | undefined;
      try {
        params = matchPath(route.template, segments);
      } catch {
        throw new ProblemWithService(route.service, 400, "BadRequest", `Cannot read request: the path ${JSON.stringify(pathname)} is not validly percent-encoded`);
      }
      if (!params) continue;
      if (route.method === method) return { service: route.service, handle: route.handle, params };
      allowed ??= route;
    }
    const service = allowed?.service ?? this.#options.services.find((candidate) => candidate.pathPrefix && pathname.startsWith(candidate.pathPrefix));
    const state = allowed ? `${allowed.name} is ${allowed.method} ${pathname}, not ${method}` : `no operation answers ${method} ${pathname}`;
    throw new ProblemWithService(service, 404, "UnknownOperationException", `Cannot route request: ${state}`);
  }

  #jsonRoute(target: string): { service: AwsService; handle: AwsHandler } {
    const dot = target.lastIndexOf(".");
    const service = this.#options.services.find((candidate) => candidate.json?.targetPrefix === target.slice(0, dot));
    const handle = service?.json?.operations[target.slice(dot + 1)];
    if (!service || !handle) throw new ProblemWithService(service, 400, "UnknownOperationException", `Cannot route request: no operation answers X-Amz-Target ${JSON.stringify(target)}`);
    return { service, handle };
  }

  #sendError(response: ServerResponse, requestId: string, routed: AwsService | undefined, error: unknown): void {
    const service = error instanceof ProblemWithService ? error.service : routed;
    let status: number;
    let code: string;
    let message: string;
    let details: Record<string, unknown> | undefined;
    if (error instanceof Problem) {
      ({ status, code, message } = error);
    } else if (isMoorError(error) && service) {
      ({ status, code } = service.classify(error));
      message = error.message;
      details = error.details;
    } else {
      console.error(`moor: AWS request ${requestId} failed:`, error);
      const internal = new MoorError("Unavailable", "Cannot complete the request: Moor failed internally; see its log", { code: "InternalServerError" });
      ({ status, code } = service ? service.classify(internal) : { status: 500, code: "InternalServerError" });
      message = internal.message;
    }
    const body = service ? service.errorBody(code, message, details) : { ErrorCode: code, Message: message, message };
    if (!response.headersSent) send(response, requestId, { status, body, headers: { "x-amzn-ErrorType": code } });
    else response.destroy();
  }
}

class ProblemWithService extends Problem {
  constructor(
    readonly service: AwsService | undefined,
    status: number,
    code: string,
    message: string,
  ) {
    super(status, code, message);
  }
}

function send(response: ServerResponse, requestId: string, answer: AwsResponse): void {
  const text = answer.body === undefined || answer.status === 204 ? "" : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "x-amzn-RequestId": requestId,
    ...answer.headers,
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = declared > bodyBytesMax;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > bodyBytesMax) tooLarge = true;
    if (size > drainBytesMax) {
      request.socket.destroy();
      break;
    }
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) throw new Problem(400, "BadRequest", `Cannot read request: the body is larger than ${bodyBytesMax} bytes`);
  return Buffer.concat(chunks);
}

function parseJsonBody(bytes: Buffer): Record<string, unknown> {
  if (bytes.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new Problem(400, "BadRequest", `Cannot read request: the body is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Problem(400, "BadRequest", "Cannot read request: the body is JSON but not an object");
  }
  return value as Record<string, unknown>;
}

function queryOf(search: URLSearchParams): QueryParameters {
  return {
    get: (name) => search.get(name) ?? undefined,
    getAll: (name) => search.getAll(name),
    has: (name) => search.has(name),
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Node's HTTP parser refused the request: answer in AWS's shape, then close. */
function answerBrokenRequest(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
  const reason = status === 431 ? "Request Header Fields Too Large" : "Bad Request";
  const body = JSON.stringify({ ErrorCode: "BadRequest", Message: `Cannot read request: it is not valid HTTP (${error.code ?? error.message})` });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nx-amzn-ErrorType: BadRequest\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
