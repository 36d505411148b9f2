// EC2's Filters (`Name` and `Values`, values ORed, filters ANDed, `*` and `?` as wildcards) over
// the fields each describe call names; `tag:<key>` and `tag-key` for every resource with tags.
// An unknown filter name is refused as EC2 refuses it.

import type { Tag } from "../../domain/securitygroups/mod.js";
import { ec2Error } from "./_context.js";

export interface Filter {
  Name?: string;
  Values?: string[];
}

/** A resource's value(s) for one filter name; undefined when the name is not a filter here. */
export type FieldReader<T> = (item: T, name: string) => string | readonly string[] | undefined;

function pattern(value: string): RegExp {
  const escaped = value.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

function tagValues(tags: readonly Tag[], name: string): string[] | undefined {
  if (name === "tag-key") return tags.map((tag) => tag.Key);
  if (name === "tag-value") return tags.map((tag) => tag.Value);
  if (name.startsWith("tag:")) return tags.filter((tag) => tag.Key === name.slice(4)).map((tag) => tag.Value);
  return undefined;
}

/** The items every filter admits. `tagsOf` gives each item's tags for the tag filters. */
export function applyFilters<T>(items: readonly T[], filters: readonly Filter[] | undefined, read: FieldReader<T>, tagsOf?: (item: T) => readonly Tag[]): T[] {
  if (!filters || filters.length === 0) return [...items];
  const checks = filters.map((filter) => {
    const name = filter.Name ?? "";
    const patterns = (filter.Values ?? []).map(pattern);
    const valuesOf = (item: T): readonly string[] => {
      const tagged = tagsOf ? tagValues(tagsOf(item), name) : undefined;
      const value = tagged ?? read(item, name);
      if (value === undefined) throw ec2Error("Invalid", "InvalidParameterValue", `The filter '${name}' is invalid`);
      return typeof value === "string" ? [value] : value;
    };
    return (item: T) => valuesOf(item).some((value) => patterns.some((candidate) => candidate.test(value)));
  });
  return items.filter((item) => checks.every((check) => check(item)));
}
