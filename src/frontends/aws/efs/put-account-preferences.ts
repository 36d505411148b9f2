// PutAccountPreferences: PUT /2015-02-01/account-preferences → 200 {ResourceIdPreference}.
// Asking for SHORT_ID is refused, as AWS has refused it since October 2021.

import { badRequest, resourceIdTypeShape } from "../../../domain/efs/mod.js";
import { resourceIdPreference } from "./describe-account-preferences.js";
import { body, type EfsOperation, ok, type StructureShape } from "./_operation.js";

const action = "Cannot put account preferences";
const input: StructureShape = { type: "structure", required: ["ResourceIdType"], members: { ResourceIdType: resourceIdTypeShape } };

export const putAccountPreferences: EfsOperation = {
  name: "PutAccountPreferences",
  method: "PUT",
  path: "/2015-02-01/account-preferences",
  run(_context, request) {
    const { ResourceIdType } = body<{ ResourceIdType: string }>(request, input, action);
    if (ResourceIdType !== "LONG_ID") throw badRequest(`${action}: short resource ids are no longer issued; only "LONG_ID" is accepted`);
    return ok({ ResourceIdPreference: resourceIdPreference });
  },
};
