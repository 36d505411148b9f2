// How an ALB made by the LBC picks a rule: one listener rule per Ingress path, in the order the
// Ingress lists its rules and paths (the LBC gives them ascending priorities, and the ALB
// evaluates priorities in order); the default backend, or a fixed 404, when none matches.
// Conditions become anchored regular expressions, which the proxy evaluates (PCRE) and the
// tests here evaluate (JavaScript) with the same meaning.

import { invalid, quote } from "../../errors/mod.js";

export type PathType = "Exact" | "Prefix" | "ImplementationSpecific";

export interface RouteRule<T> {
  /** A host name or wildcard (`*.example.com`); none: any host. */
  host?: string;
  path: string;
  pathType: PathType;
  target: T;
}

/** Characters a path may carry into the proxy's configuration. */
const safePath = /^\/[A-Za-z0-9/._~%!$&()*+,;=:@-]*$/;
const safeHost = /^[A-Za-z0-9*.-]+$/;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, (char) => (char === "/" ? "/" : `\\${char}`));
}

/** An ALB path pattern (`*` any characters, `?` one) as an anchored regular expression. */
function globToRegex(glob: string): string {
  return glob
    .split("")
    .map((char) => (char === "*" ? ".*" : char === "?" ? "." : escapeRegex(char)))
    .join("");
}

/**
 * The path condition of one Ingress path, as the LBC writes it: Exact is the path itself; Prefix
 * matches the path and everything under it by whole segments (`/a` matches `/a` and `/a/b`, not
 * `/ab`); ImplementationSpecific is an ALB path pattern as written (`/*`).
 */
export function pathPattern(path: string, pathType: PathType): string {
  const value = path === "" ? (pathType === "ImplementationSpecific" ? "/*" : "/") : path;
  if (!safePath.test(value)) throw invalid(`Cannot route path ${quote(value)}: it is not an absolute path of URL characters`);
  if (pathType === "Exact") return `^${escapeRegex(value)}$`;
  if (pathType === "ImplementationSpecific") return `^${globToRegex(value)}$`;
  const trimmed = value.replace(/\/+$/, "");
  return trimmed === "" ? "^/.*$" : `^${escapeRegex(trimmed)}(/.*)?$`;
}

/** The host condition: the name or wildcard, matched without regard to case (as ALB does). */
export function hostPattern(host: string): string {
  if (!safeHost.test(host)) throw invalid(`Cannot route host ${quote(host)}: it is not a host name or wildcard`);
  return `^${globToRegex(host.toLowerCase())}$`;
}

/** The first rule (in order) whose host and path conditions match, as the ALB picks it. */
export function matchRoute<T>(rules: readonly RouteRule<T>[], host: string, path: string): RouteRule<T> | undefined {
  const bareHost = host.replace(/:\d+$/, "").toLowerCase();
  return rules.find(
    (rule) =>
      (rule.host === undefined || new RegExp(hostPattern(rule.host)).test(bareHost)) && new RegExp(pathPattern(rule.path, rule.pathType)).test(path),
  );
}
