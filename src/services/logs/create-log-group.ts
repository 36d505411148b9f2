// CreateLogGroup: a name unique in the account and region, with tags and a class
// (STANDARD unless asked).

import { findGroup, type LogGroupObject, logGroupKind, logsApiVersion, type LogsContext, logsError } from "./_context.js";

export interface CreateLogGroupInput {
  logGroupName: string;
  kmsKeyId?: string;
  tags?: Record<string, string>;
  logGroupClass?: string;
  deletionProtectionEnabled?: boolean;
}

export function createLogGroup(context: LogsContext, input: CreateLogGroupInput): void {
  context.store.transaction(() => {
    if (findGroup(context, input.logGroupName)) throw logsError("ResourceAlreadyExistsException", "The specified log group already exists");
    const group: LogGroupObject = {
      apiVersion: logsApiVersion,
      kind: logGroupKind,
      metadata: { name: input.logGroupName },
      spec: {
        logGroupClass: input.logGroupClass ?? "STANDARD",
        deletionProtectionEnabled: input.deletionProtectionEnabled ?? false,
        tags: { ...(input.tags ?? {}) },
        creationTime: context.now(),
        ...(input.kmsKeyId ? { kmsKeyId: input.kmsKeyId } : {}),
      },
    };
    context.store.create(group);
  });
}
