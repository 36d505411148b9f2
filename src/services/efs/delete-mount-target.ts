// DeleteMountTarget. The mount target and its address go at once (no lingering `deleting`
// state), so its file system can be deleted right after; mounts through it are broken by the
// mount engine, which watches for this.

import { mountTargetIdShape, mountTargetKind } from "../../domain/efs/mod.js";
import type { EfsContext } from "./_context.js";
import { checkRequired, requireMountTarget } from "./_operation.js";

const action = "Cannot delete mount target";

export interface DeleteMountTargetInput {
  MountTargetId: string;
}

export function deleteMountTarget(context: EfsContext, input: DeleteMountTargetInput): void {
  const id = input.MountTargetId;
  checkRequired(id, "MountTargetId", mountTargetIdShape, action);
  context.store.transaction(() => {
    requireMountTarget(context, id, action);
    context.store.delete({ kind: mountTargetKind, name: id });
  });
}
