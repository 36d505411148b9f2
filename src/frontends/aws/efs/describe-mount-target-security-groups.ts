// DescribeMountTargetSecurityGroups: GET /2015-02-01/mount-targets/{MountTargetId}/security-groups
// → 200 {SecurityGroups}.

import { mountTargetIdShape } from "../../../domain/efs/mod.js";
import { type EfsOperation, label, ok } from "./_operation.js";
import { requireUsableMountTarget } from "./modify-mount-target-security-groups.js";

const action = "Cannot describe mount target security groups";

export const describeMountTargetSecurityGroups: EfsOperation = {
  name: "DescribeMountTargetSecurityGroups",
  method: "GET",
  path: "/2015-02-01/mount-targets/{MountTargetId}/security-groups",
  run(context, request) {
    const id = label(request, "MountTargetId", mountTargetIdShape, action);
    const target = requireUsableMountTarget(context, id, action);
    return ok({ SecurityGroups: target.spec.securityGroups });
  },
};
