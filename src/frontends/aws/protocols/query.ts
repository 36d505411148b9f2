// The query protocol (STS, IAM, RDS, ELBv2): `Action=…&Version=…` parameters in a form body or
// the URL; an XML reply `<OpResponse><OpResult>…</OpResult><ResponseMetadata>` where OpResult is
// the model's resultWrapper; errors as `<ErrorResponse><Error><Type/><Code/><Message/></Error>
// <RequestId/></ErrorResponse>` with the model's error code and status. Input that breaks the
// model is a 400 ValidationError in AWS's "N validation errors detected" text.

import type { WireAnswer } from "../../http/mod.js";
import { readFormRequest } from "./_form-body.js";
import type { OperationModel, ServiceModel } from "./_model.js";
import { type Problem, validationMessage } from "./_problems.js";
import { type Protocol, ProtocolError, type WireError, type WireRequest } from "./_protocol.js";
import { element, escapeXml, structureXml } from "./_xml.js";

const xmlType = "text/xml";

export const queryProtocol: Protocol = {
  codes: { unknownOperation: { code: "InvalidAction", status: 400 }, malformed: "MalformedQueryString", internal: "InternalFailure" },

  read(model: ServiceModel, request: WireRequest) {
    return readFormRequest(model, request, queryProtocol, "query");
  },

  refuse(_model: ServiceModel, problems: readonly Problem[]) {
    return new ProtocolError("ValidationError", 400, validationMessage(problems));
  },

  write(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): WireAnswer {
    let result = "";
    if (operation.output) {
      const shape = model.resolve(operation.output);
      const members = structureXml(model, shape, (output ?? {}) as Record<string, unknown>);
      result = operation.output.resultWrapper ? element(operation.output.resultWrapper, members) : members;
    }
    const metadata = element("ResponseMetadata", element("RequestId", escapeXml(requestId)));
    const name = `${operation.name}Response`;
    const body = `<${name} xmlns="${model.xmlNamespace}">${result}${metadata}</${name}>`;
    return { status: 200, headers: { "Content-Type": xmlType, "x-amzn-RequestId": requestId }, body };
  },

  error(model: ServiceModel, error: WireError, requestId: string): WireAnswer {
    const type = error.status >= 500 ? "Receiver" : "Sender";
    const inner = element("Type", type) + element("Code", escapeXml(error.code)) + element("Message", escapeXml(error.message));
    const body = `<ErrorResponse xmlns="${model.xmlNamespace}">${element("Error", inner)}${element("RequestId", escapeXml(requestId))}</ErrorResponse>`;
    return { status: error.status, headers: { "Content-Type": xmlType, "x-amzn-RequestId": requestId }, body };
  },
};
