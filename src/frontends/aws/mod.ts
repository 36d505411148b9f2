// The HTTP front end for AWS protocols on config.awsPort. One server carries every AWS service
// Moor speaks, in two ways:
// - model-driven service modules (protocols/mod.ts holds their contract): query, ec2, json 1.1
//   and rest-json read and written from AWS's published models, dispatched by the SigV4 scope's
//   service name, else X-Amz-Target, else the query Version, else the rest-json path; services
//   listed as `refused` answer a named refusal in their own protocol until a module serves them;
// - hand-routed services (EFS): rest-json routes (method + URI template) and awsJson1.1 targets,
//   tried when no module claims a request.
// The server (on the HTTP core, frontends/http) reads bodies up to `bodyBytesMax`, routes, calls
// the handler and renders errors in the service's wire form; a body over the limit is a 400.
// Handlers throw MoorError; anything else is logged and becomes the service's internal error.
// Request signatures are not checked: any credentials and any region are accepted.

import type { MoorError } from "../../errors/mod.js";

export { AwsServer, type AwsServerOptions, bodyBytesMax } from "./_server.js";
export { matchPath, type PathTemplate, parsePathTemplate } from "./_router.js";

/** What a handler gets: decoded path labels, the query string, and the parsed JSON body. */
export interface AwsRequest {
  method: string;
  /** Path labels by name, percent-decoded (`{FileSystemId}` → "arn:aws:...:file-system/fs-1"). */
  params: Record<string, string>;
  query: QueryParameters;
  /** The JSON body (an object; `{}` when the body is empty). */
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  requestId: string;
}

export interface QueryParameters {
  /** The first value of a parameter. */
  get(name: string): string | undefined;
  /** Every value of a repeated parameter (`?tagKeys=a&tagKeys=b`). */
  getAll(name: string): string[];
  has(name: string): boolean;
}

export interface AwsResponse {
  status: number;
  /** Serialised as JSON; omitted for 204 and when undefined. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type AwsHandler = (request: AwsRequest) => AwsResponse | Promise<AwsResponse>;

export interface RestJsonOperation {
  /** The model's operation name, e.g. "CreateFileSystem". */
  name: string;
  method: string;
  /** The model's requestUri, e.g. "/2015-02-01/file-systems/{FileSystemId}". */
  path: string;
  handle: AwsHandler;
}

export interface AwsService {
  /** The signing name, e.g. "elasticfilesystem". */
  name: string;
  /** Paths under this prefix belong to this service, even when no operation matches. */
  pathPrefix?: string;
  restJson?: RestJsonOperation[];
  /** awsJson1.1: the X-Amz-Target prefix and the operations by name. */
  json?: { targetPrefix: string; operations: Record<string, AwsHandler> };
  /** The service's code and HTTP status for an error its handlers threw. */
  classify(error: MoorError): { status: number; code: string };
  /** The service's error body, e.g. EFS `{"ErrorCode","Message",...}`, ECS `{"__type","message"}`. */
  errorBody(code: string, message: string, details?: Record<string, unknown>): Record<string, unknown>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export type { Operation, OperationContext, ServiceModule } from "./protocols/mod.js";
