// The block-storage objects an EKS cluster starts with: the `gp2` StorageClass (the in-tree
// kubernetes.io/aws-ebs provisioner, WaitForFirstConsumer, the default class) and the
// ebs.csi.aws.com CSIDriver that the EBS CSI add-on registers. Written at start when missing,
// as the other built-in objects are; a class the user changed is left as it is.

import { ebsCsiProvisioner, inTreeEbsProvisioner } from "../../domain/blockvolumes/mod.js";
import type { Store } from "../../store/mod.js";

const builtIn = { "moor.dev/built-in": "true" };

export function ensureBlockStorageClasses(store: Store): void {
  if (!store.get({ kind: "CSIDriver", name: ebsCsiProvisioner })) {
    store.create({
      apiVersion: "storage.k8s.io/v1",
      kind: "CSIDriver",
      metadata: { name: ebsCsiProvisioner, annotations: builtIn },
      spec: { attachRequired: true, podInfoOnMount: false, requiresRepublish: false, storageCapacity: false, seLinuxMount: false, fsGroupPolicy: "ReadWriteOnceWithFSType", volumeLifecycleModes: ["Persistent"] },
    });
  }
  if (store.get({ kind: "StorageClass", name: "gp2" })) return;
  store.create({
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "gp2", annotations: { ...builtIn, "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: inTreeEbsProvisioner,
    parameters: { fsType: "ext4", type: "gp2" },
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
  });
}
