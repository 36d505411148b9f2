// The ratchet: today's violations, listed with a reason each, so the check fails only on new
// ones. A listed size may not grow; a listed entry that no longer occurs must be removed, so
// the list only shrinks. `regenerate` rewrites it from the tree, keeping the reasons.
import type { Rule, Violation } from "./_rules.js";

export interface Entry {
  rule: Rule;
  file: string;
  subject: string;
  /** Lines when listed, for the size rules: the most the file or function may have. */
  size?: number;
  reason: string;
}

export const reasonTodo = "TODO: reason";

export interface Comparison {
  /** Violations not in the list. */
  fresh: Violation[];
  /** Listed size exceptions that grew past their recorded size. */
  grown: { violation: Violation; entry: Entry }[];
  /** Listed entries that no longer occur. */
  stale: Entry[];
  /** Listed size exceptions now smaller than recorded: `--write` records the lower bound. */
  shrunk: { violation: Violation; entry: Entry }[];
  /** Violations the list covers. */
  listed: Violation[];
}

export function keyOf(item: { rule: string; file: string; subject: string }): string {
  return `${item.rule} ${item.file} ${item.subject}`;
}

export function compare(violations: readonly Violation[], entries: readonly Entry[]): Comparison {
  const byKey = new Map(entries.map((entry) => [keyOf(entry), entry]));
  const seen = new Set<string>();
  const result: Comparison = { fresh: [], grown: [], stale: [], shrunk: [], listed: [] };
  for (const violation of violations) {
    const key = keyOf(violation);
    const entry = byKey.get(key);
    seen.add(key);
    if (entry === undefined) result.fresh.push(violation);
    else if (violation.size !== undefined && violation.size > (entry.size ?? 0)) result.grown.push({ violation, entry });
    else {
      result.listed.push(violation);
      if (violation.size !== undefined && violation.size < (entry.size ?? 0)) result.shrunk.push({ violation, entry });
    }
  }
  result.stale = entries.filter((entry) => !seen.has(keyOf(entry)));
  return result;
}

export function failed(comparison: Comparison): boolean {
  return comparison.fresh.length + comparison.grown.length + comparison.stale.length > 0;
}

/** The list as the tree is now: existing reasons kept, new entries marked for a reason. */
export function regenerate(violations: readonly Violation[], entries: readonly Entry[]): Entry[] {
  const reasons = new Map(entries.map((entry) => [keyOf(entry), entry.reason]));
  return violations.map((violation) => {
    const size = violation.size === undefined ? {} : { size: violation.size };
    const reason = reasons.get(keyOf(violation)) ?? reasonTodo;
    return { rule: violation.rule, file: violation.file, subject: violation.subject, ...size, reason };
  });
}

/** Entries whose reason is missing or still the placeholder. */
export function unexplained(entries: readonly Entry[]): Entry[] {
  return entries.filter((entry) => entry.reason.trim() === "" || entry.reason.startsWith("TODO"));
}

/** One line per problem, the way a developer fixes it. */
export function describe(comparison: Comparison, ratchetPath: string): string[] {
  const lines: string[] = [];
  for (const violation of comparison.fresh) lines.push(`new: ${format(violation)}`);
  for (const { violation, entry } of comparison.grown) {
    lines.push(`grown: ${format(violation)} (listed at ${entry.size}; shrink it back)`);
  }
  for (const entry of comparison.stale) {
    lines.push(`fixed: ${keyOf(entry)}: no longer occurs; remove it from ${ratchetPath}`);
  }
  return lines;
}

export function format(violation: Violation): string {
  const place = violation.line === undefined ? violation.file : `${violation.file}:${violation.line}`;
  const subject = violation.subject === "" ? "" : ` ${JSON.stringify(violation.subject)}`;
  return `${place}: ${violation.rule}${subject}: ${violation.message}`;
}
