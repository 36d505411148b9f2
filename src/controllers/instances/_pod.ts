// The pod an instance runs as: in namespace aws-ec2, named by the instance id, placed in the
// instance's subnet with its security groups (the sandbox annotations), sized by the instance
// type, running Moor's Debian instance image whose init hands the user data (first boot only)
// to the shell as cloud-init would, then idles as the instance's PID 1.

import { applyDefaults, initialStatus } from "../../domain/kube/mod.js";
import { subnetIdsAnnotation } from "../../domain/scheduling/mod.js";
import { securityGroupIdsAnnotation } from "../../domain/securitygroups/mod.js";
import { type InstanceObject, instanceTypeShape } from "../../services/ec2/mod.js";
import type { StoredObject } from "../../store/mod.js";

export const instanceNamespace = "aws-ec2";
export const instanceIdLabel = "moor.dev/instance-id";
/** Where the instance's init looks for the user data (base64) and the instance's facts. */
export const userDataVariable = "MOOR_USER_DATA";
export const instanceInit = "/usr/local/sbin/moor-instance-init";

/** The sandbox's size: the instance type's vCPUs and memory; unknown types get Fargate's smallest. */
function resourcesOf(instanceType: string) {
  const shape = instanceTypeShape(instanceType);
  if (!shape) return {};
  const size = { cpu: String(shape.vcpus), memory: `${shape.memoryMiB}Mi` };
  return { requests: { ...size }, limits: { ...size } };
}

export function instancePod(instance: InstanceObject, image: string): StoredObject {
  const id = instance.metadata.name;
  const firstBoot = !instance.status.userDataDelivered && instance.spec.userData !== undefined;
  const pod: StoredObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: id,
      namespace: instanceNamespace,
      labels: { [instanceIdLabel]: id },
      annotations: { [subnetIdsAnnotation]: instance.spec.subnetId, [securityGroupIdsAnnotation]: instance.spec.securityGroupIds.join(",") },
    },
    spec: {
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 5,
      containers: [{
        name: "instance",
        image,
        command: [instanceInit],
        env: [
          { name: "MOOR_INSTANCE_ID", value: id },
          ...(firstBoot ? [{ name: userDataVariable, value: instance.spec.userData! }] : []),
        ],
        resources: resourcesOf(instance.spec.instanceType),
      }],
    },
  };
  applyDefaults(pod);
  pod.status = initialStatus(pod);
  return pod;
}
