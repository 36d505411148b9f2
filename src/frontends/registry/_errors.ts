// Errors in the distribution API's wire form: `{"errors":[{"code","message","detail"}]}` with
// the status each code has in the specification; UNAUTHORIZED carries the Basic challenge
// docker and skopeo answer with the ECR token.

import { isMoorError } from "../../errors/mod.js";
import { isRequestError, type ErrorRenderer, type WireAnswer } from "../http/mod.js";

const statusOf: Record<string, number> = {
  UNAUTHORIZED: 401,
  DENIED: 403,
  NAME_UNKNOWN: 404,
  MANIFEST_UNKNOWN: 404,
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_UNKNOWN: 404,
  TAG_INVALID: 400,
  DIGEST_INVALID: 400,
  MANIFEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 400,
  NAME_INVALID: 400,
  UNSUPPORTED: 405,
};

const codeOfCategory: Record<string, string> = { NotFound: "NAME_UNKNOWN", Forbidden: "DENIED", Invalid: "MANIFEST_INVALID", Unsupported: "UNSUPPORTED" };

function answer(code: string, message: string, realm: string): WireAnswer {
  const headers: Record<string, string> = { "Content-Type": "application/json; charset=utf-8", "Docker-Distribution-API-Version": "registry/2.0" };
  if (code === "UNAUTHORIZED") headers["WWW-Authenticate"] = `Basic realm="${realm}",service="ecr.amazonaws.com"`;
  return { status: statusOf[code] ?? 500, headers, body: JSON.stringify({ errors: [{ code, message, detail: {} }] }) };
}

export function registryRenderer(realm: string): ErrorRenderer {
  return {
    render(error) {
      if (isMoorError(error)) return answer(error.code ?? codeOfCategory[error.category] ?? "UNSUPPORTED", error.message, realm);
      if (isRequestError(error)) return answer("UNSUPPORTED", error.message, realm);
      return undefined;
    },
    internal: () => ({ status: 500, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ errors: [{ code: "UNKNOWN", message: "Cannot complete the request: Moor failed internally; see its log", detail: {} }] }) }),
  };
}
