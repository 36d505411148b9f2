// Tags of VPCs, subnets and security groups, found by the id's prefix, as CreateTags, DeleteTags
// and DescribeTags reach them.

import { securityGroupKind, subnetKind, type Tag, vpcKind } from "../../domain/securitygroups/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { type Ec2Context, ec2Error } from "./_context.js";
import { requireGroup, requireSubnet, requireVpc } from "./_objects.js";
import { instanceKind, requireInstance } from "./_instances.js";

export const resourceTypes: Record<string, { kind: string; resourceType: string }> = {
  vpc: { kind: vpcKind, resourceType: "vpc" },
  subnet: { kind: subnetKind, resourceType: "subnet" },
  sg: { kind: securityGroupKind, resourceType: "security-group" },
  i: { kind: instanceKind, resourceType: "instance" },
};

/** The tagged object an id names; an id of another kind of resource is refused by name. */
export function taggable(context: Ec2Context, id: string): StoredObject & { spec: { tags: Tag[] } } {
  const prefix = id.split("-")[0] ?? "";
  if (prefix === "vpc") return requireVpc(context, id) as never;
  if (prefix === "subnet") return requireSubnet(context, id) as never;
  if (prefix === "sg") return requireGroup(context, id) as never;
  if (prefix === "i" && /^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)) return requireInstance(context, id) as never;
  throw ec2Error("Invalid", "InvalidID", `The ID '${id}' is not valid`);
}

/** Changes the tags of every named resource in one transaction. */
export function changeTags(context: Ec2Context, resources: readonly string[], change: (tags: Tag[]) => Tag[]): void {
  context.store.transaction(() => {
    for (const id of resources) {
      const object = taggable(context, id);
      context.store.update({ ...object, spec: { ...object.spec, tags: change(object.spec.tags ?? []) } });
    }
  });
}
