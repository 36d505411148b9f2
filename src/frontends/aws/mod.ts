// The HTTP front end for AWS protocols on config.awsPort. One server carries every AWS service
// Moor speaks; each service contributes routes in its own protocol:
// - rest-json (EFS now, EKS later): HTTP method + URI path template, input in path labels, query
//   string and a JSON body;
// - awsJson1.1 (ECS later): `POST /` with `X-Amz-Target: <prefix>.<Operation>`.
// The server (on the HTTP core, frontends/http) reads bodies up to `bodyBytesMax`, routes, calls
// the handler and renders errors in the service's wire form; a body over the limit is a 400
// `BadRequest`, as it has always been here. Handlers throw MoorError; anything else is logged
// and becomes the service's internal error. Request signatures are not checked: any credentials
// are accepted.

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
