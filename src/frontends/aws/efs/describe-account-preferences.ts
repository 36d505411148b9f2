// DescribeAccountPreferences: GET /2015-02-01/account-preferences → 200 {ResourceIdPreference}.
// Moor issues long (17-digit) ids only, as AWS has since October 2021.

import { type EfsOperation, ok } from "./_operation.js";

export const resourceIdPreference = { ResourceIdType: "LONG_ID", Resources: ["FILE_SYSTEM", "MOUNT_TARGET"] };

export const describeAccountPreferences: EfsOperation = {
  name: "DescribeAccountPreferences",
  method: "GET",
  path: "/2015-02-01/account-preferences",
  run() {
    return ok({ ResourceIdPreference: resourceIdPreference });
  },
};
