// The rest-json protocol (EKS, EFS): the operation is found by HTTP method and the model's
// requestUri template; input members come from path labels (`location: uri`), the query string
// (`querystring`, lists repeated) and a JSON body (the rest). The reply's status is the
// operation's responseCode (else 200) and its body the output's JSON with epoch-second
// timestamps; errors send `x-amzn-ErrorType: <code>` and `{"message": …}` with the status of
// the model's error shape, which is what the CLI reads (without the header it prints "(404)").

import type { WireAnswer } from "../../http/mod.js";
import { JsonReader, toJson } from "./_json.js";
import type { OperationModel, ResolvedShape, ServiceModel } from "./_model.js";
import { joinPath, pathSegment, type Problem, ProblemList, validationMessage } from "./_problems.js";
import { type Invocation, mediaType, type Protocol, ProtocolError, validationCode, type WireError, type WireRequest } from "./_protocol.js";
import { pathSegments, type RestRoute, restRoutes } from "./_routes.js";
import { scalarFromText } from "./_scalars.js";
import { validate } from "./_validate.js";
import { jsonBody } from "./json.js";

function match(routes: readonly RestRoute[], method: string, path: string): { route: RestRoute; labels: Map<string, string> } | undefined {
  const segments = pathSegments(path);
  for (const route of routes) {
    if (route.method !== method) continue;
    const labels = route.match(segments);
    if (labels) return { route, labels };
  }
  return undefined;
}

function readBound(model: ServiceModel, shape: ResolvedShape, request: WireRequest, labels: Map<string, string>, problems: ProblemList): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, reference] of Object.entries(shape.members ?? {})) {
    const member = model.resolve(reference);
    const key = reference.locationName ?? name;
    const path = joinPath("", pathSegment(name));
    let texts: string[] = [];
    if (reference.location === "uri") texts = labels.has(key) ? [labels.get(key)!] : [];
    else if (reference.location === "querystring") texts = request.url.searchParams.getAll(key);
    else continue;
    if (texts.length === 0) continue;
    const itemShape = member.type === "list" ? model.resolve(member.member!) : member;
    const values = texts.map((text) => {
      const value = scalarFromText(itemShape.type, text);
      if (value === undefined) problems.add({ kind: "type", path, wireName: key, value: text, constraint: `Member must be of type ${itemShape.type}` });
      return value;
    });
    input[name] = member.type === "list" ? values : values[0];
  }
  return input;
}

export const restJsonProtocol: Protocol = {
  codes: { unknownOperation: { code: "UnknownOperationException", status: 404 }, malformed: "SerializationException", internal: "InternalFailure" },

  read(model: ServiceModel, request: WireRequest): Invocation {
    const found = match(restRoutes(model), request.method, request.url.pathname);
    if (!found) throw new ProtocolError("UnknownOperationException", 404, `Cannot route request: no operation answers ${request.method} ${request.url.pathname}`);
    const { operation } = found.route;
    const type = mediaType(request.headers);
    if (request.body.length > 0 && type !== undefined && !type.includes("json")) {
      throw new ProtocolError("SerializationException", 400, `Cannot read request: the body must be application/json, not ${JSON.stringify(type)}`);
    }
    const problems = new ProblemList();
    let input: Record<string, unknown> = {};
    if (operation.input) {
      const shape = model.resolve(operation.input);
      const body = new JsonReader(model, problems).structure(shape, jsonBody(request, "SerializationException"), "", true);
      input = { ...body, ...readBound(model, shape, request, found.labels, problems) };
      if (problems.items.length === 0) validate(model, shape, input, "", problems);
    }
    if (problems.items.length > 0) throw restJsonProtocol.refuse(model, problems.items);
    return { operation, input };
  },

  refuse(model: ServiceModel, problems: readonly Problem[]) {
    return new ProtocolError(validationCode(model), 400, validationMessage(problems));
  },

  write(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): WireAnswer {
    const status = operation.http.responseCode ?? 200;
    const headers = { "Content-Type": "application/json", "x-amzn-RequestId": requestId };
    if (status === 204) return { status, headers, body: "" };
    const body = operation.output ? toJson(model, model.resolve(operation.output), output ?? {}, true) : {};
    return { status, headers, body: JSON.stringify(body) };
  },

  error(_model: ServiceModel, error: WireError, requestId: string): WireAnswer {
    const body = { ...error.details, message: error.message };
    return { status: error.status, headers: { "Content-Type": "application/json", "x-amzn-RequestId": requestId, "x-amzn-ErrorType": error.code }, body: JSON.stringify(body) };
  },
};
