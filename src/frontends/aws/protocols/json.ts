// The json protocol, version 1.0 and 1.1 (ECS, ECR, CloudWatch Logs): `POST /` with
// `X-Amz-Target: <targetPrefix>.<Operation>` and a JSON body of the input's members; the reply
// is the output as JSON with timestamps in epoch seconds; errors are `{"__type": code,
// "message": …}` with the model's status (400 for every modelled ECS error).

import type { WireAnswer } from "../../http/mod.js";
import { JsonReader, toJson } from "./_json.js";
import type { OperationModel, ServiceModel } from "./_model.js";
import { type Problem, ProblemList, validationMessage } from "./_problems.js";
import { header, type Invocation, mediaType, type Protocol, ProtocolError, validationCode, type WireError, type WireRequest } from "./_protocol.js";
import { validate } from "./_validate.js";

const jsonTypes = new Set(["application/x-amz-json-1.0", "application/x-amz-json-1.1", "application/json"]);

function contentType(model: ServiceModel): string {
  return `application/x-amz-json-${model.document.metadata.jsonVersion ?? "1.1"}`;
}

/** The body as a JSON object; `{}` when empty; SerializationException otherwise. */
export function jsonBody(request: WireRequest, malformed: string): Record<string, unknown> {
  if (request.body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(request.body.toString("utf8"));
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    throw new ProtocolError(malformed, 400, `Cannot read request: the body is not valid JSON (${detail})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ProtocolError(malformed, 400, "Cannot read request: the body is JSON but not an object");
  return value as Record<string, unknown>;
}

export const jsonProtocol: Protocol = {
  codes: { unknownOperation: { code: "UnknownOperationException", status: 400 }, malformed: "SerializationException", internal: "InternalFailure" },

  read(model: ServiceModel, request: WireRequest): Invocation {
    const target = header(request.headers, "x-amz-target") ?? "";
    const dot = target.lastIndexOf(".");
    const operation = target.slice(0, dot) === model.targetPrefix ? model.operation(target.slice(dot + 1)) : undefined;
    if (!operation) throw new ProtocolError("UnknownOperationException", 400, `Cannot route request: no operation answers X-Amz-Target ${JSON.stringify(target)}`);
    const type = mediaType(request.headers);
    if (request.body.length > 0 && type !== undefined && !jsonTypes.has(type)) {
      throw new ProtocolError("SerializationException", 400, `Cannot read request: the body must be ${contentType(model)}, not ${JSON.stringify(type)}`);
    }
    const body = jsonBody(request, "SerializationException");
    const problems = new ProblemList();
    let input: Record<string, unknown> = {};
    if (operation.input) {
      const shape = model.resolve(operation.input);
      input = new JsonReader(model, problems).structure(shape, body, "");
      if (problems.items.length === 0) validate(model, shape, input, "", problems);
    }
    if (problems.items.length > 0) throw jsonProtocol.refuse(model, problems.items);
    return { operation, input };
  },

  refuse(model: ServiceModel, problems: readonly Problem[]) {
    return new ProtocolError(validationCode(model), 400, validationMessage(problems));
  },

  write(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): WireAnswer {
    const body = operation.output ? toJson(model, model.resolve(operation.output), output ?? {}) : {};
    return { status: 200, headers: { "Content-Type": contentType(model), "x-amzn-RequestId": requestId }, body: JSON.stringify(body) };
  },

  error(model: ServiceModel, error: WireError, requestId: string): WireAnswer {
    const body = { ...error.details, __type: error.code, message: error.message };
    return { status: error.status, headers: { "Content-Type": contentType(model), "x-amzn-RequestId": requestId }, body: JSON.stringify(body) };
  },
};
