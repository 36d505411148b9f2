// The ec2 protocol: query framing with its own rules. Every list is flattened (`VpcId.1`), keys
// are the queryName or the capitalised locationName; replies carry `<requestId>` first and the
// output's members with their lowercase-first locationNames and `<item>` list members, with no
// Result wrapper; errors are `<Response><Errors><Error><Code/><Message/></Error></Errors>
// <RequestID/></Response>`, HTTP 400 for every client fault. A missing required member is
// MissingParameter; a value that breaks the model is InvalidParameterValue.

import type { WireAnswer } from "../../http/mod.js";
import { readFormRequest } from "./_form-body.js";
import type { OperationModel, ServiceModel } from "./_model.js";
import type { Problem } from "./_problems.js";
import { type Protocol, ProtocolError, type WireError, type WireRequest } from "./_protocol.js";
import { element, escapeXml, structureXml } from "./_xml.js";

const xmlType = "text/xml;charset=UTF-8";

export const ec2Protocol: Protocol = {
  codes: { unknownOperation: { code: "InvalidAction", status: 400 }, malformed: "MalformedQueryString", internal: "InternalError" },

  read(model: ServiceModel, request: WireRequest) {
    return readFormRequest(model, request, ec2Protocol, "ec2");
  },

  refuse(_model: ServiceModel, problems: readonly Problem[]) {
    const missing = problems.find((problem) => problem.kind === "missing");
    if (missing) return new ProtocolError("MissingParameter", 400, `The request must contain the parameter ${missing.wireName}`);
    const first = problems[0]!;
    const value = first.value === undefined ? "" : ` (${first.value.length > 256 ? `${first.value.slice(0, 256)}...` : first.value})`;
    return new ProtocolError("InvalidParameterValue", 400, `Value${value} for parameter ${first.path} is invalid. ${first.constraint}`);
  },

  write(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): WireAnswer {
    const members = operation.output ? structureXml(model, model.resolve(operation.output), (output ?? {}) as Record<string, unknown>) : "";
    const name = `${operation.name}Response`;
    const body = `<${name} xmlns="${model.xmlNamespace}">${element("requestId", escapeXml(requestId))}${members}</${name}>`;
    return { status: 200, headers: { "Content-Type": xmlType }, body };
  },

  error(_model: ServiceModel, error: WireError, requestId: string): WireAnswer {
    const inner = element("Code", escapeXml(error.code)) + element("Message", escapeXml(error.message));
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response>${element("Errors", element("Error", inner))}${element("RequestID", escapeXml(requestId))}</Response>`;
    return { status: error.status, headers: { "Content-Type": xmlType }, body };
  },
};
