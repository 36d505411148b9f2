// The AWS protocols' HTTP server, on the HTTP core: routing to a service's operation, and
// errors in the service's wire form (`x-amzn-ErrorType` header plus the service's body). Every
// request gets an answer: malformed input is a 4xx, and only a failure of Moor itself is a 500.

import type { Component } from "../../component/mod.js";
import { isMoorError, MoorError } from "../../errors/mod.js";
import { type ErrorRenderer, type Exchange, HttpServer, isRequestError, parseJson, readBody, sendAnswer, type WireAnswer } from "../http/mod.js";
import type { AwsHandler, AwsRequest, AwsService, QueryParameters } from "./mod.js";
import { ModelFrontEnd, type ServiceModule } from "./protocols/mod.js";
import { matchPath, parsePathTemplate, type PathTemplate, split } from "./_router.js";

/** Request bodies above this size are refused (EFS's largest input, a policy, is 20,000 chars). */
export const bodyBytesMax = 1024 * 1024;

export interface AwsServerOptions {
  host: string;
  port: number;
  /** Hand-routed services (EFS). */
  services: AwsService[];
  /** Model-driven service modules (the contract in protocols/mod.ts), tried before `services`. */
  modules?: ServiceModule[];
  /** The region and account operations of `modules` see. */
  region?: string;
  accountId?: string;
  /** Where the extracted AWS models are (dist/models by default). */
  modelsDirectory?: URL;
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
  readonly #http: HttpServer;
  /** The service a request was routed to, whose wire form its errors take. */
  readonly #routed = new WeakMap<Exchange, AwsService>();
  readonly #models?: ModelFrontEnd;

  constructor(options: AwsServerOptions) {
    this.#options = options;
    if (options.modules?.length) {
      this.#models = new ModelFrontEnd({
        modules: options.modules,
        region: options.region ?? "us-east-1",
        accountId: options.accountId ?? "000000000000",
        bodyBytesMax,
        modelsDirectory: options.modelsDirectory,
      });
    }
    this.#routes = options.services
      .flatMap((service) => (service.restJson ?? []).map((operation) => ({ service, name: operation.name, method: operation.method, template: parsePathTemplate(operation.path), handle: operation.handle })))
      // Literal segments win over labels: `/file-systems/replication-configurations` is not an id.
      .sort((a, b) => b.template.literals - a.template.literals);
    this.#http = new HttpServer({
      name: "AWS",
      listen: { host: options.host, port: options.port },
      handle: (exchange) => this.#serve(exchange),
      renderer: this.#renderer(),
      keepAliveTimeoutMs: 5000,
    });
  }

  /** The port the server listens on (useful when configured with 0). */
  get port(): number {
    return this.#http.port ?? this.#options.port;
  }

  async start(): Promise<void> {
    for (const service of this.#options.services) await service.start?.();
    await this.#http.start();
  }

  async stop(): Promise<void> {
    await this.#http.stop();
    for (const service of [...this.#options.services].reverse()) await service.stop?.();
  }

  async #serve(exchange: Exchange): Promise<void> {
    const { request, response, id } = exchange;
    const url = new URL(request.url ?? "/", "http://moor");
    const claim = this.#models?.claim(exchange, url);
    if (claim) return this.#models!.serve(exchange, claim, url);
    const target = header(request.headers, "x-amz-target");
    let handle: AwsHandler;
    let service: AwsService;
    let params: Record<string, string> = {};
    if (target !== undefined) {
      ({ service, handle } = this.#jsonRoute(target));
    } else {
      ({ service, handle, params } = this.#restJsonRoute(request.method ?? "GET", url.pathname));
    }
    this.#routed.set(exchange, service);
    const bytes = await readBody(request, bodyBytesMax);
    const awsRequest: AwsRequest = {
      method: request.method ?? "GET",
      params,
      query: queryOf(url.searchParams),
      body: parseJsonBody(bytes),
      headers: request.headers,
      requestId: id,
    };
    const answer = await handle(awsRequest);
    const text = answer.body === undefined || answer.status === 204 ? "" : JSON.stringify(answer.body);
    sendAnswer(response, { status: answer.status, headers: { "Content-Type": "application/json", "x-amzn-RequestId": id, ...answer.headers }, body: text });
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

  /** Errors as the routed service's body and code; before routing, as EFS-like `{ErrorCode, Message}`. */
  #renderer(): ErrorRenderer {
    const serviceOf = (error: unknown, exchange?: Exchange) => (error instanceof ProblemWithService ? error.service : exchange && this.#routed.get(exchange));
    return {
      render: (error, exchange) => {
        const answer = this.#models?.render(error, exchange);
        if (answer) return answer;
        const service = serviceOf(error, exchange);
        if (error instanceof Problem) return errorAnswer(exchange, service, error);
        // The core's request errors (a body too large, not JSON, not HTTP, too slow) are all
        // BadRequest; a body too large is 400, as it has always been here.
        if (isRequestError(error)) return errorAnswer(exchange, service, { status: error.problem === "BodyTooLarge" ? 400 : error.status, code: "BadRequest", message: error.message });
        if (isMoorError(error) && service) return errorAnswer(exchange, service, { ...service.classify(error), message: error.message }, error.details);
        return undefined;
      },
      internal: (exchange) => {
        const answer = this.#models?.internal(exchange);
        if (answer) return answer;
        const service = exchange && this.#routed.get(exchange);
        const internal = new MoorError("Unavailable", "Cannot complete the request: Moor failed internally; see its log", { code: "InternalServerError" });
        return errorAnswer(exchange, service, { ...(service ? service.classify(internal) : { status: 500, code: "InternalServerError" }), message: internal.message });
      },
    };
  }
}

function errorAnswer(
  exchange: Exchange | undefined,
  service: AwsService | undefined,
  error: { status: number; code: string; message: string },
  details?: Record<string, unknown>,
): WireAnswer {
  const { status, code, message } = error;
  // Bytes that were not HTTP have no request id, and their body has no lower-case `message`.
  if (!exchange) return { status, headers: { "Content-Type": "application/json", "x-amzn-ErrorType": code }, body: JSON.stringify({ ErrorCode: code, Message: message }) };
  const body = service ? service.errorBody(code, message, details) : { ErrorCode: code, Message: message, message };
  return { status, headers: { "Content-Type": "application/json", "x-amzn-RequestId": exchange.id, "x-amzn-ErrorType": code }, body: JSON.stringify(body) };
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

function parseJsonBody(bytes: Buffer): Record<string, unknown> {
  if (bytes.length === 0) return {};
  const value = parseJson(bytes);
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

function header(headers: AwsRequest["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
