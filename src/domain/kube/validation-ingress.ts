// Ingress (networking.k8s.io/v1) and IngressClass validation, as upstream's networking
// validation does: a default backend or rules; each path with a pathType (Exact, Prefix,
// ImplementationSpecific) and, for Exact and Prefix, an absolute path; each backend one Service
// with a port name or number; the legacy class annotation may not name another class than the field.

import { type FieldError, invalidValue, notSupported, required } from "./field-errors.js";

const pathTypes = ["Exact", "ImplementationSpecific", "Prefix"];
const classAnnotation = "kubernetes.io/ingress.class";

function validateBackend(backend: any, at: string, errors: FieldError[]): void {
  const service = backend?.service;
  if (!service && !backend?.resource) {
    errors.push(invalidValue(at, backend ?? null, "one backend (`service` or `resource`) must be specified"));
    return;
  }
  if (!service) return;
  if (!service.name) errors.push(required(`${at}.service.name`));
  const port = service.port ?? {};
  if (port.name !== undefined && port.number !== undefined) errors.push(invalidValue(`${at}.service.port`, port, "cannot set both port name & port number"));
  else if (port.name === undefined && port.number === undefined) errors.push(invalidValue(`${at}.service.port`, port, "port name or number is required"));
  else if (port.number !== undefined && !(Number.isInteger(port.number) && port.number >= 1 && port.number <= 65535)) {
    errors.push(invalidValue(`${at}.service.port.number`, port.number, "must be between 1 and 65535, inclusive"));
  }
}

function validatePath(path: any, at: string, errors: FieldError[]): void {
  if (path?.pathType === undefined) errors.push(required(`${at}.pathType`, "pathType must be specified"));
  else if (!pathTypes.includes(path.pathType)) errors.push(notSupported(`${at}.pathType`, path.pathType, pathTypes));
  else if (path.pathType !== "ImplementationSpecific" && !String(path.path ?? "").startsWith("/")) {
    errors.push(invalidValue(`${at}.path`, path.path ?? "", "must be an absolute path"));
  }
  validateBackend(path?.backend, `${at}.backend`, errors);
}

export function validateIngress(object: any, errors: FieldError[]): void {
  const spec = object.spec ?? {};
  const rules: any[] = spec.rules ?? [];
  if (!spec.defaultBackend && rules.length === 0) errors.push(invalidValue("spec", rules, "either `defaultBackend` or `rules` must be specified"));
  if (spec.defaultBackend) validateBackend(spec.defaultBackend, "spec.defaultBackend", errors);
  rules.forEach((rule, ruleIndex) => {
    (rule?.http?.paths ?? []).forEach((path: any, pathIndex: number) => validatePath(path, `spec.rules[${ruleIndex}].http.paths[${pathIndex}]`, errors));
    if (rule?.http && (rule.http.paths ?? []).length === 0) errors.push(required(`spec.rules[${ruleIndex}].http.paths`));
  });
  const annotated = object.metadata?.annotations?.[classAnnotation];
  if (spec.ingressClassName !== undefined && annotated !== undefined && annotated !== spec.ingressClassName) {
    errors.push(invalidValue(`annotations.${classAnnotation}`, annotated, "must match `ingressClassName` when both are specified"));
  }
}

export function validateIngressClass(object: any, errors: FieldError[]): void {
  const controller = object.spec?.controller;
  if (!controller) errors.push(required("spec.controller"));
}

export function validateIngressClassUpdate(object: any, old: any, errors: FieldError[]): void {
  if (object.spec?.controller !== old.spec?.controller) errors.push(invalidValue("spec.controller", object.spec?.controller, "field is immutable"));
}
