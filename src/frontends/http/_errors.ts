// The core's own request errors: what can go wrong with a request before any server-specific
// code understands it. Each server's renderer turns them into its protocol's wire form.

/** Why a request could not be read. */
export type RequestProblem =
  /** The body is larger than the server's `bodyBytesMax`. */
  | "BodyTooLarge"
  /** The body is not JSON. */
  | "MalformedJson"
  /** Node's HTTP parser refused the bytes (bad request line, header overflow, bad length). */
  | "MalformedHttp"
  /** The request (headers or body) did not arrive within the server's bound. */
  | "Timeout"
  /** The client went away while sending; there is nobody left to answer. */
  | "Aborted";

const statusByProblem: Record<RequestProblem, number> = {
  BodyTooLarge: 413,
  MalformedJson: 400,
  MalformedHttp: 400,
  Timeout: 408,
  Aborted: 400,
};

export interface RequestErrorOptions {
  /** The limit that was passed, for BodyTooLarge. */
  limitBytes?: number;
  /** What the parser said (JSON.parse's message, Node's HPE_* code). */
  detail?: string;
  /** The HTTP status a protocol without its own choice would use; defaults by problem. */
  status?: number;
}

export class RequestError extends Error {
  readonly problem: RequestProblem;
  readonly status: number;
  readonly limitBytes?: number;
  readonly detail?: string;

  constructor(problem: RequestProblem, message: string, options: RequestErrorOptions = {}) {
    super(message);
    this.name = "RequestError";
    this.problem = problem;
    this.status = options.status ?? statusByProblem[problem];
    this.limitBytes = options.limitBytes;
    this.detail = options.detail;
  }
}

export function isRequestError(error: unknown, problem?: RequestProblem): error is RequestError {
  return error instanceof RequestError && (problem === undefined || error.problem === problem);
}

/** Node's `clientError` as a RequestError: a timeout, or bytes that are not HTTP. */
export function clientErrorOf(error: NodeJS.ErrnoException): RequestError {
  const code = error.code ?? error.message;
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") return new RequestError("Timeout", "Cannot read request: it did not arrive in time", { detail: code });
  return new RequestError("MalformedHttp", `Cannot read request: it is not valid HTTP (${code})`, { detail: code, status: code === "HPE_HEADER_OVERFLOW" ? 431 : 400 });
}
