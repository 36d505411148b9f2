// ALB success codes (`alb.ingress.kubernetes.io/success-codes`, the target group's Matcher):
// a comma-separated list of codes and ranges, each within 200-499 for HTTP health checks.

import { invalid, quote } from "../../errors/mod.js";

const lowest = 200;
const highest = 499;

/** Every code the matcher accepts, in ascending order; throws Invalid on a malformed value. */
export function parseSuccessCodes(value: string): number[] {
  const codes = new Set<number>();
  for (const part of value.split(",").map((item) => item.trim())) {
    const match = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    const first = Number(match?.[1]);
    const last = match?.[2] === undefined ? first : Number(match[2]);
    if (!match || first > last || first < lowest || last > highest) {
      throw invalid(`Cannot use success codes ${quote(value)}: ${quote(part)} is not a code or range within ${lowest}-${highest}`);
    }
    for (let code = first; code <= last; code++) codes.add(code);
  }
  return [...codes].sort((a, b) => a - b);
}

/** Whether a health check answer with this status counts as a success. */
export function isSuccessCode(codes: readonly number[], status: number): boolean {
  return codes.includes(status);
}

/** An anchored regular expression matching exactly these codes (for a proxy's status check). */
export function successCodePattern(codes: readonly number[]): string {
  return `^(${codes.join("|")})$`;
}
