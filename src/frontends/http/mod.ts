// The HTTP core of Moor's three servers (the AWS APIs, the Kubernetes API, the moor API): what
// every one of them needs from HTTP and nothing of any protocol.
//
// - `HttpServer` listens on TCP, TLS or a Unix socket; `start()` resolves when it listens,
//   `stop()` stops listening, closes idle connections at once and busy ones after
//   `stopGraceMs`. Request headers and bodies have time bounds (`headersTimeoutMs`,
//   `requestTimeoutMs`), so a slow, partial request cannot hold a connection.
// - `readBody(request, bodyBytesMax)` reads a body under a named limit and `parseJson(bytes)`
//   parses one; both throw `RequestError` (BodyTooLarge, MalformedJson, Aborted).
// - A handler throws; the server's `ErrorRenderer` turns what it knows into its protocol's wire
//   form (AWS error body and header, Kubernetes Status, moor API JSON), and the core logs
//   anything else and answers with the renderer's internal error. Bytes Node cannot parse as
//   HTTP, and requests that time out, go through the same renderer as a RequestError.
// - Nothing a client sends crashes a server: an aborted request is dropped quietly, a refused
//   body is drained (known length up to `drainBytesMax`) or the connection closes after the
//   answer.

export { type ErrorRenderer, type Exchange, sendAnswer, type WireAnswer } from "./_answer.js";
export { parseJson, readBody } from "./_body.js";
export { isRequestError, RequestError, type RequestErrorOptions, type RequestProblem } from "./_errors.js";
export { HttpServer, type HttpServerOptions, type Listen } from "./_server.js";
