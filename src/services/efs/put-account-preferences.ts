// PutAccountPreferences: asking for SHORT_ID is refused, as AWS has refused it since October 2021.

import { badRequest, resourceIdTypeShape } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { type AccountPreferencesOutput, resourceIdPreference } from "./describe-account-preferences.js";
import { checkBody, type StructureShape } from "./_operation.js";

const action = "Cannot put account preferences";
const inputShape: StructureShape = { type: "structure", required: ["ResourceIdType"], members: { ResourceIdType: resourceIdTypeShape } };

export interface PutAccountPreferencesInput {
  ResourceIdType: string;
}

export function putAccountPreferences(_context: EfsContext, input: PutAccountPreferencesInput): AccountPreferencesOutput {
  const { ResourceIdType } = checkBody<{ ResourceIdType: string }>(input, inputShape, action);
  if (ResourceIdType !== "LONG_ID") throw badRequest(`${action}: short resource ids are no longer issued; only "LONG_ID" is accepted`);
  return { ResourceIdPreference: resourceIdPreference };
}
