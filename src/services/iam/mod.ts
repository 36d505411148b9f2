// The IAM service: roles with trust policies, customer managed policies with versions, the
// AWS-managed policies the guides attach, attachments and inline role policies. Objects live in
// the store as kinds IamRole, IamPolicy and IamInstanceProfile (group iam.moor.dev, not served
// by the kube API); an instance profile holds the role an EC2 instance launched with it acts as.
// Policies are stored, not yet evaluated: EFS `iam` mounts and ECS task roles will read them.
//
// `createIamService` returns a service module for the AWS front end: `{ name: "iam",
// operations }`, each operation taking the input keyed by the model's member names and
// returning the output likewise, throwing MoorError with IAM's code (NoSuchEntity,
// EntityAlreadyExists, MalformedPolicyDocument, DeleteConflict, LimitExceeded, InvalidInput).

import { randomInt } from "node:crypto";
import type { Store } from "../../store/mod.js";
import type { IamContext } from "./_context.js";
import { attachRolePolicy } from "./attach-role-policy.js";
import { createPolicy } from "./create-policy.js";
import { createPolicyVersion } from "./create-policy-version.js";
import { createRole } from "./create-role.js";
import { deletePolicy } from "./delete-policy.js";
import { deletePolicyVersion } from "./delete-policy-version.js";
import { deleteRole } from "./delete-role.js";
import { deleteRolePolicy } from "./delete-role-policy.js";
import { detachRolePolicy } from "./detach-role-policy.js";
import { getPolicy } from "./get-policy.js";
import { getPolicyVersion } from "./get-policy-version.js";
import { getRole } from "./get-role.js";
import { getRolePolicy } from "./get-role-policy.js";
import { listAttachedRolePolicies } from "./list-attached-role-policies.js";
import {
  addRoleToInstanceProfile,
  createInstanceProfile,
  deleteInstanceProfile,
  getInstanceProfile,
  listInstanceProfiles,
  listInstanceProfilesForRole,
  removeRoleFromInstanceProfile,
} from "./instance-profiles.js";
import { listPolicies } from "./list-policies.js";
import { listPolicyVersions } from "./list-policy-versions.js";
import { listRolePolicies } from "./list-role-policies.js";
import { listRoleTags } from "./list-role-tags.js";
import { listRoles } from "./list-roles.js";
import { putRolePolicy } from "./put-role-policy.js";
import { tagRole } from "./tag-role.js";
import { untagRole } from "./untag-role.js";
import { updateAssumeRolePolicy } from "./update-assume-role-policy.js";
import { updateRole } from "./update-role.js";

export { iamApiVersion, policyKind, roleKind } from "./_context.js";
export { instanceProfileKind, instanceProfileRoleArn } from "./_instance-profiles.js";

export interface IamServiceOptions {
  store: Store;
  accountId: string;
  now?: () => Date;
  randomId?: (count: number) => string;
}

/** `any`: each operation types its own input, which the front end has checked against the model. */
type Operation = (input: any) => unknown;

export interface IamService {
  name: "iam";
  operations: Record<string, Operation>;
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function randomId(count: number): string {
  return Array.from({ length: count }, () => idAlphabet[randomInt(idAlphabet.length)]).join("");
}

export function createIamService(options: IamServiceOptions): IamService {
  const context: IamContext = { store: options.store, accountId: options.accountId, now: options.now ?? (() => new Date()), randomId: options.randomId ?? randomId };
  const bind = <I, O>(operation: (context: IamContext, input: I) => O) => (input: I) => operation(context, input);
  const operations = {
    AddRoleToInstanceProfile: bind(addRoleToInstanceProfile),
    AttachRolePolicy: bind(attachRolePolicy),
    CreateInstanceProfile: bind(createInstanceProfile),
    DeleteInstanceProfile: bind(deleteInstanceProfile),
    GetInstanceProfile: bind(getInstanceProfile),
    ListInstanceProfiles: bind(listInstanceProfiles),
    RemoveRoleFromInstanceProfile: bind(removeRoleFromInstanceProfile),
    CreatePolicy: bind(createPolicy),
    CreatePolicyVersion: bind(createPolicyVersion),
    CreateRole: bind(createRole),
    DeletePolicy: bind(deletePolicy),
    DeletePolicyVersion: bind(deletePolicyVersion),
    DeleteRole: bind(deleteRole),
    DeleteRolePolicy: bind(deleteRolePolicy),
    DetachRolePolicy: bind(detachRolePolicy),
    GetPolicy: bind(getPolicy),
    GetPolicyVersion: bind(getPolicyVersion),
    GetRole: bind(getRole),
    GetRolePolicy: bind(getRolePolicy),
    ListAttachedRolePolicies: bind(listAttachedRolePolicies),
    ListInstanceProfilesForRole: bind(listInstanceProfilesForRole),
    ListPolicies: bind(listPolicies),
    ListPolicyVersions: bind(listPolicyVersions),
    ListRolePolicies: bind(listRolePolicies),
    ListRoleTags: bind(listRoleTags),
    ListRoles: bind(listRoles),
    PutRolePolicy: bind(putRolePolicy),
    TagRole: bind(tagRole),
    UntagRole: bind(untagRole),
    UpdateAssumeRolePolicy: bind(updateAssumeRolePolicy),
    UpdateRole: bind(updateRole),
  };
  return { name: "iam", operations: operations as Record<string, Operation> };
}
