// DeleteMountTarget: DELETE /2015-02-01/mount-targets/{MountTargetId} → 204. The mount target
// and its address go at once (no lingering `deleting` state), so its file system can be deleted
// right after; mounts through it are broken by the mount engine, which watches for this.

import { mountTargetIdShape, mountTargetKind } from "../../../domain/efs/mod.js";
import { type EfsOperation, label, noContent, requireMountTarget } from "./_operation.js";

const action = "Cannot delete mount target";

export const deleteMountTarget: EfsOperation = {
  name: "DeleteMountTarget",
  method: "DELETE",
  path: "/2015-02-01/mount-targets/{MountTargetId}",
  run(context, request) {
    const id = label(request, "MountTargetId", mountTargetIdShape, action);
    context.store.transaction(() => {
      requireMountTarget(context, id, action);
      context.store.delete({ kind: mountTargetKind, name: id });
    });
    return noContent();
  },
};
