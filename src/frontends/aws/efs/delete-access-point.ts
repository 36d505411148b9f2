// DeleteAccessPoint: DELETE /2015-02-01/access-points/{AccessPointId} → 204. The access point's
// directory and data stay, as on AWS.

import { accessPointIdShape, accessPointKind } from "../../../domain/efs/mod.js";
import { type EfsOperation, label, noContent, requireAccessPoint } from "./_operation.js";

const action = "Cannot delete access point";

export const deleteAccessPoint: EfsOperation = {
  name: "DeleteAccessPoint",
  method: "DELETE",
  path: "/2015-02-01/access-points/{AccessPointId}",
  run(context, request) {
    const id = label(request, "AccessPointId", accessPointIdShape, action);
    context.store.transaction(() => {
      const accessPoint = requireAccessPoint(context, id, action);
      context.store.delete({ kind: accessPointKind, name: accessPoint.metadata.name });
    });
    return noContent();
  },
};
