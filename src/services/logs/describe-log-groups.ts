// DescribeLogGroups: by name prefix, name pattern (a substring, case-insensitive) or identifiers,
// in name order, paged by `limit` (at most 50) and nextToken.

import type { CallContext, LogGroupObject, LogsContext } from "./_context.js";
import { groupArn, groupNameOfIdentifier, logGroupKind, logsError, offsetOfToken, tokenOfOffset } from "./_context.js";

export interface DescribeLogGroupsInput {
  logGroupNamePrefix?: string;
  logGroupNamePattern?: string;
  logGroupIdentifiers?: string[];
  logGroupClass?: string;
  nextToken?: string;
  limit?: number;
}

const pageMax = 50;

export function logGroupOutput(context: LogsContext, call: CallContext, group: LogGroupObject) {
  const arn = groupArn(call, group.metadata.name);
  return {
    logGroupName: group.metadata.name,
    creationTime: group.spec.creationTime,
    ...(group.spec.retentionInDays !== undefined ? { retentionInDays: group.spec.retentionInDays } : {}),
    metricFilterCount: 0,
    arn: `${arn}:*`,
    storedBytes: context.events.storedBytes(group.metadata.name),
    ...(group.spec.kmsKeyId ? { kmsKeyId: group.spec.kmsKeyId } : {}),
    logGroupClass: group.spec.logGroupClass,
    logGroupArn: arn,
    deletionProtectionEnabled: group.spec.deletionProtectionEnabled,
  };
}

function selected(input: DescribeLogGroupsInput): (name: string) => boolean {
  if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
    throw logsError("InvalidParameterException", "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
  }
  const identifiers = input.logGroupIdentifiers?.map(groupNameOfIdentifier);
  const pattern = input.logGroupNamePattern?.toLowerCase();
  return (name) =>
    (input.logGroupNamePrefix === undefined || name.startsWith(input.logGroupNamePrefix)) &&
    (pattern === undefined || name.toLowerCase().includes(pattern)) &&
    (identifiers === undefined || identifiers.includes(name));
}

export function describeLogGroups(context: LogsContext, input: DescribeLogGroupsInput, call: CallContext) {
  const wanted = selected(input);
  const groups = (context.store.list(logGroupKind).items as LogGroupObject[])
    .filter((group) => wanted(group.metadata.name) && (input.logGroupClass === undefined || group.spec.logGroupClass === input.logGroupClass))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const offset = offsetOfToken(input.nextToken);
  const limit = Math.min(input.limit ?? pageMax, pageMax);
  const page = groups.slice(offset, offset + limit);
  const more = offset + limit < groups.length;
  return { logGroups: page.map((group) => logGroupOutput(context, call, group)), ...(more ? { nextToken: tokenOfOffset(offset + limit) } : {}) };
}
