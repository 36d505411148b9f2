// The parameters of a query or ec2 request: the URL's query string (a presigned GET, as
// `aws eks get-token` makes for STS) and a form body, decoded strictly: a percent sign that
// starts no escape, or bytes that are not UTF-8, make the request malformed, never a guess.

import { type FormStyle, FormReader, parameterTree } from "./_form.js";
import type { ServiceModel } from "./_model.js";
import { ProblemList } from "./_problems.js";
import { type Invocation, mediaType, type Protocol, type ProtocolCodes, ProtocolError, type WireRequest } from "./_protocol.js";
import { validate } from "./_validate.js";

const formType = "application/x-www-form-urlencoded";

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

function decodePairs(text: string, into: Map<string, string>, what: string, codes: ProtocolCodes): void {
  if (text === "") return;
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const key = decode(equals < 0 ? pair : pair.slice(0, equals));
    const value = decode(equals < 0 ? "" : pair.slice(equals + 1));
    if (key === undefined || value === undefined) {
      throw new ProtocolError(codes.malformed, 400, `The ${what} is not validly form-encoded near ${JSON.stringify(pair.slice(0, 64))}`);
    }
    if (!into.has(key)) into.set(key, value);
  }
}

/** Every parameter, the URL's first; the first of repeated keys wins. */
export function formParameters(request: WireRequest, codes: ProtocolCodes): Map<string, string> {
  const parameters = new Map<string, string>();
  decodePairs(request.url.search.slice(1), parameters, "query string", codes);
  if (request.body.length === 0) return parameters;
  const type = mediaType(request.headers);
  if (type !== undefined && type !== formType) {
    throw new ProtocolError(codes.malformed, 400, `The request body must be ${formType}, not ${JSON.stringify(type)}`);
  }
  const text = request.body.toString("utf8");
  if (text.includes("\uFFFD") && !request.body.includes(Buffer.from("\uFFFD"))) {
    throw new ProtocolError(codes.malformed, 400, "The request body is not UTF-8");
  }
  decodePairs(text, parameters, "request body", codes);
  return parameters;
}

/** The operation a query or ec2 request names, and its input read in `style`, checked against the model. */
export function readFormRequest(model: ServiceModel, request: WireRequest, protocol: Protocol, style: FormStyle): Invocation {
  const parameters = formParameters(request, protocol.codes);
  const action = parameters.get("Action");
  if (!action) throw new ProtocolError("MissingAction", 400, "The request must contain the parameter Action");
  const operation = model.operation(action);
  if (!operation) throw new ProtocolError(protocol.codes.unknownOperation.code, protocol.codes.unknownOperation.status, unknownActionText(style, action, model.apiVersion));
  const problems = new ProblemList();
  let input: Record<string, unknown> = {};
  if (operation.input) {
    const shape = model.resolve(operation.input);
    input = new FormReader(model, style, problems).structure(shape, parameterTree(parameters), "");
    if (problems.items.length === 0) validate(model, shape, input, "", problems);
  }
  if (problems.items.length > 0) throw protocol.refuse(model, problems.items);
  return { operation, input };
}

function unknownActionText(style: FormStyle, action: string, version: string): string {
  return style === "ec2" ? `The action ${action} is not valid for this web service.` : `Could not find operation ${action} for version ${version}`;
}
