// What the instance metadata service knows of each instance that has an address: built from
// the Instance objects whenever one changes, sent on only when it differs.

import type { InstanceMetadata } from "../../engines/metadata/mod.js";
import { instanceKind, type InstanceObject, privateDnsName } from "../../services/ec2/mod.js";
import { instanceProfileRoleArn } from "../../services/iam/mod.js";
import type { Store } from "../../store/mod.js";

export function metadataOf(store: Store, region: string, accountId: string): InstanceMetadata[] {
  const instances = store.list(instanceKind).items as InstanceObject[];
  return instances
    .filter((instance) => instance.status.privateIpAddress && (instance.status.state === "running" || instance.status.state === "pending"))
    .map((instance) => ({
      instanceId: instance.metadata.name,
      privateIp: instance.status.privateIpAddress!,
      availabilityZone: instance.spec.availabilityZone,
      region,
      instanceType: instance.spec.instanceType,
      imageId: instance.spec.imageId,
      accountId,
      hostname: privateDnsName(region, instance.status.privateIpAddress),
      securityGroups: instance.spec.securityGroupIds.map((id) => store.get({ kind: "SecurityGroup", name: id })?.spec?.groupName ?? id),
      ...(instance.spec.userData ? { userData: instance.spec.userData } : {}),
      httpTokens: instance.spec.httpTokens,
      launchTime: instance.status.launchTime,
      ...(instance.spec.iamInstanceProfile ? { instanceProfile: profileOf(store, instance.spec.iamInstanceProfile) } : {}),
    }));
}

/** The profile with its role's ARN, looked up now: a role added later shows at the next change. */
function profileOf(store: Store, profile: { arn: string; id: string }): InstanceMetadata["instanceProfile"] {
  const roleArn = instanceProfileRoleArn(store, profile.arn);
  return { arn: profile.arn, id: profile.id, ...(roleArn ? { roleArn } : {}) };
}

/** A publisher that passes a set on only when it differs from the last one. */
export function changedOnly(publish: (instances: InstanceMetadata[]) => void): (instances: InstanceMetadata[]) => void {
  let last = "";
  return (instances) => {
    const text = JSON.stringify(instances);
    if (text === last) return;
    last = text;
    publish(instances);
  };
}
