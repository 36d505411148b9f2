// The EFS API on the wire (rest-json, apiVersion 2015-02-01): a thin translation onto the EFS
// service (src/services/efs), which holds every rule. A request becomes the operation's input
// (path labels, query parameters and JSON body members by their model names), the output
// becomes the response body with the action's success status. Errors are rendered as EFS sends
// them: header `x-amzn-ErrorType: <code>` and body `{"ErrorCode", "Message", ...extras}`
// (FileSystemId / AccessPointId on the AlreadyExists pair).

import { efsCodeOfCategory, efsErrors, isEfsErrorCode } from "../../../domain/efs/mod.js";
import type { MoorError } from "../../../errors/mod.js";
import type { EfsOperations, EfsService } from "../../../services/efs/mod.js";
import type { AwsRequest, AwsResponse, AwsService, QueryParameters } from "../mod.js";
import { type EfsRoute, efsRoutes } from "./_routes.js";

export { efsRoutes } from "./_routes.js";

/** The AWS front end's EFS part, over the service (started and stopped by its owner). */
export function createEfsApi(efs: EfsService): AwsService {
  return {
    name: "elasticfilesystem",
    pathPrefix: "/2015-02-01/",
    restJson: efsRoutes.map((route) => ({
      name: route.name,
      method: route.method,
      path: route.path,
      handle: (request) => handle(efs, route, request),
    })),
    classify(error: MoorError) {
      const code = isEfsErrorCode(error.code) ? error.code : efsCodeOfCategory[error.category];
      return { status: efsErrors[code].status, code };
    },
    errorBody(code, message, details) {
      return { ErrorCode: code, Message: message, ...details };
    },
  };
}

function handle(efs: EfsService, route: EfsRoute, request: AwsRequest): AwsResponse {
  const input = { ...request.body, ...queryMembers(route, request.query), ...request.params };
  const call = efs[route.operation] as (input: unknown) => ReturnType<EfsOperations[keyof EfsOperations]>;
  const output = call(input);
  return route.status === 204 ? { status: 204 } : { status: route.status, body: output };
}

/** The query parameters the action reads, as input members; text that is no number stays text. */
function queryMembers(route: EfsRoute, query: QueryParameters): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (const [parameter, [member, type]] of Object.entries(route.query ?? {})) {
    if (type === "list") {
      members[member] = query.getAll(parameter);
      continue;
    }
    const text = query.get(parameter);
    if (text === undefined) continue;
    members[member] = type === "integer" && /^[+-]?\d{1,15}$/.test(text.trim()) ? Number(text) : text;
  }
  return members;
}
