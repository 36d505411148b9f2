// DeleteRole: refused while managed policies are attached, inline policies remain or an instance
// profile holds the role, as IAM does.

import { conflict } from "../../errors/mod.js";
import { type IamContext, roleKind, storedName } from "./_context.js";
import { getStoredRole } from "./_roles.js";
import { listStoredInstanceProfiles } from "./_instance-profiles.js";

export function deleteRole(context: IamContext, input: { RoleName: string }): void {
  const spec = getStoredRole(context, input.RoleName).spec!;
  if (spec.attachedPolicies.length > 0) throw conflict("Cannot delete entity, must detach all policies first.", { code: "DeleteConflict", subject: { kind: roleKind, name: spec.roleName } });
  if (spec.inlinePolicies.length > 0) throw conflict("Cannot delete entity, must delete policies first.", { code: "DeleteConflict", subject: { kind: roleKind, name: spec.roleName } });
  if (listStoredInstanceProfiles(context).some((profile) => profile.spec!.roles.some((name) => storedName(name) === storedName(spec.roleName)))) {
    throw conflict("Cannot delete entity, must remove roles from instance profile first.", { code: "DeleteConflict", subject: { kind: roleKind, name: spec.roleName } });
  }
  context.store.delete({ kind: roleKind, name: storedName(spec.roleName) });
}
