// DeleteAccessPoint. The access point's directory and data stay, as on AWS.

import { accessPointIdShape, accessPointKind } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { checkRequired, requireAccessPoint } from "./_operation.js";

const action = "Cannot delete access point";

export interface DeleteAccessPointInput {
  AccessPointId: string;
}

export function deleteAccessPoint(context: EfsContext, input: DeleteAccessPointInput): void {
  const id = input.AccessPointId;
  checkRequired(id, "AccessPointId", accessPointIdShape, action);
  context.store.transaction(() => {
    const accessPoint = requireAccessPoint(context, id, action);
    context.store.delete({ kind: accessPointKind, name: accessPoint.metadata.name });
  });
}
