// Table columns for the core, storage and Moor kinds (the workload kinds are in _columns.ts).

import { parseQuantity, selectorString } from "../../domain/kube/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { age, ageSince, type Column, nameColumn, none, type Printer } from "./_cells.js";
import { externalAddress, ingressHosts, loadBalancerAddresses, sliceAddresses, slicePorts } from "./_cells-traffic.js";

const col = (name: string): Column => ({ name, priority: 0 });
const wide = (name: string): Column => ({ name, priority: 1 });
const modes: Record<string, string> = { ReadWriteOnce: "RWO", ReadOnlyMany: "ROX", ReadWriteMany: "RWX", ReadWriteOncePod: "RWOP" };
const accessModes = (list: string[] | undefined) => (list ?? []).map((mode) => modes[mode] ?? mode).join(",");

function servicePorts(service: StoredObject): string {
  const ports: any[] = service.spec?.ports ?? [];
  if (ports.length === 0) return none;
  return ports.map((port) => (port.nodePort ? `${port.port}:${port.nodePort}/${port.protocol ?? "TCP"}` : `${port.port}/${port.protocol ?? "TCP"}`)).join(",");
}

function nodeStatus(node: StoredObject): string {
  const ready = (node.status?.conditions ?? []).find((condition: any) => condition.type === "Ready");
  let text = ready?.status === "True" ? "Ready" : ready?.status === "False" ? "NotReady" : "Unknown";
  if (node.spec?.unschedulable) text += ",SchedulingDisabled";
  return text;
}

function nodeRoles(node: StoredObject): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((key) => key.startsWith("node-role.kubernetes.io/"))
    .map((key) => key.slice("node-role.kubernetes.io/".length));
  return roles.length ? roles.sort().join(",") : none;
}

function nodeAddress(node: StoredObject, type: string): string {
  return (node.status?.addresses ?? []).find((address: any) => address.type === type)?.address ?? none;
}

function endpointsText(endpoints: StoredObject): string {
  const list: string[] = [];
  for (const subset of endpoints.subsets ?? []) {
    for (const address of subset.addresses ?? []) for (const port of subset.ports ?? [{ port: undefined }]) list.push(port.port ? `${address.ip}:${port.port}` : address.ip);
  }
  if (list.length === 0) return none;
  return list.length > 3 ? `${list.slice(0, 3).join(",")} + ${list.length - 3} more...` : list.join(",");
}

function bytes(value: unknown): string {
  const size = parseQuantity(value);
  if (size === undefined) return none;
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let amount = size;
  let unit = 0;
  while (amount >= 1024 && unit < units.length - 1) {
    amount /= 1024;
    unit++;
  }
  return unit === 0 ? `${amount}B` : `${amount >= 10 ? Math.round(amount) : amount.toFixed(1)}${units[unit]}`;
}

const tag = (object: StoredObject, key: string) =>
  (object.spec?.tags ?? []).find((item: any) => item.key === key || item.Key === key)?.value ?? (object.spec?.tags ?? []).find((item: any) => item.Key === key)?.Value ?? "";

export const moreColumns: Record<string, Printer> = {
  Namespace: {
    columns: [nameColumn, col("Status"), col("Age")],
    cells: (namespace, now) => [namespace.metadata.name, namespace.status?.phase ?? "Active", age(namespace, now)],
  },
  Node: {
    columns: [nameColumn, col("Status"), col("Roles"), col("Age"), col("Version"), wide("Internal-IP"), wide("External-IP"), wide("OS-Image"), wide("Kernel-Version"), wide("Container-Runtime")],
    cells: (node, now) => {
      const info = node.status?.nodeInfo ?? {};
      return [
        node.metadata.name,
        nodeStatus(node),
        nodeRoles(node),
        age(node, now),
        info.kubeletVersion ?? "",
        nodeAddress(node, "InternalIP"),
        nodeAddress(node, "ExternalIP"),
        info.osImage ?? "<unknown>",
        info.kernelVersion ?? "<unknown>",
        info.containerRuntimeVersion ?? "<unknown>",
      ];
    },
  },
  Event: {
    columns: [col("Last Seen"), col("Type"), col("Reason"), col("Object"), wide("Subobject"), wide("Source"), col("Message"), wide("First Seen"), wide("Count"), { name: "Name", priority: 1, format: "name" }],
    cells: (event, now) => {
      const involved = event.involvedObject ?? {};
      const last = event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp;
      return [
        ageSince(last, now),
        event.type ?? "",
        event.reason ?? "",
        `${String(involved.kind ?? "").toLowerCase()}/${involved.name ?? ""}`,
        involved.fieldPath ?? "",
        [event.source?.component, event.source?.host].filter(Boolean).join(", "),
        event.message ?? "",
        ageSince(event.firstTimestamp ?? last, now),
        String(event.count ?? 1),
        event.metadata.name,
      ];
    },
  },
  ConfigMap: {
    columns: [nameColumn, col("Data"), col("Age")],
    cells: (map, now) => [map.metadata.name, String(Object.keys(map.data ?? {}).length + Object.keys(map.binaryData ?? {}).length), age(map, now)],
  },
  Secret: {
    columns: [nameColumn, col("Type"), col("Data"), col("Age")],
    cells: (secret, now) => [secret.metadata.name, secret.type ?? "Opaque", String(Object.keys(secret.data ?? {}).length), age(secret, now)],
  },
  ServiceAccount: {
    columns: [nameColumn, col("Secrets"), col("Age")],
    cells: (account, now) => [account.metadata.name, String((account.secrets ?? []).length), age(account, now)],
  },
  Service: {
    columns: [nameColumn, col("Type"), col("Cluster-IP"), col("External-IP"), col("Port(s)"), col("Age"), wide("Selector")],
    cells: (service, now) => [
      service.metadata.name,
      service.spec?.type ?? "ClusterIP",
      service.spec?.clusterIP || none,
      externalAddress(service),
      servicePorts(service),
      age(service, now),
      Object.entries(service.spec?.selector ?? {}).map(([key, value]) => `${key}=${value}`).join(",") || none,
    ],
  },
  Ingress: {
    columns: [nameColumn, col("Class"), col("Hosts"), col("Address"), col("Ports"), col("Age")],
    cells: (ingress, now) => [
      ingress.metadata.name,
      ingress.spec?.ingressClassName ?? none,
      ingressHosts(ingress),
      loadBalancerAddresses(ingress).join(","),
      (ingress.spec?.tls ?? []).length > 0 ? "80, 443" : "80",
      age(ingress, now),
    ],
  },
  IngressClass: {
    columns: [nameColumn, col("Controller"), col("Parameters"), col("Age")],
    cells: (ingressClass, now) => [ingressClass.metadata.name, ingressClass.spec?.controller ?? "", none, age(ingressClass, now)],
  },
  Endpoints: {
    columns: [nameColumn, col("Endpoints"), col("Age")],
    cells: (endpoints, now) => [endpoints.metadata.name, endpointsText(endpoints), age(endpoints, now)],
  },
  EndpointSlice: {
    columns: [nameColumn, col("AddressType"), col("Ports"), col("Endpoints"), col("Age")],
    cells: (slice, now) => [slice.metadata.name, slice.addressType ?? "", slicePorts(slice), sliceAddresses(slice), age(slice, now)],
  },
  PersistentVolume: {
    columns: [nameColumn, col("Capacity"), col("Access Modes"), col("Reclaim Policy"), col("Status"), col("Claim"), col("StorageClass"), col("VolumeAttributesClass"), col("Reason"), col("Age"), wide("VolumeMode")],
    cells: (volume, now) => {
      const claim = volume.spec?.claimRef;
      return [
        volume.metadata.name,
        String(volume.spec?.capacity?.storage ?? ""),
        accessModes(volume.spec?.accessModes),
        volume.spec?.persistentVolumeReclaimPolicy ?? "",
        volume.status?.phase ?? "",
        claim ? `${claim.namespace}/${claim.name}` : "",
        volume.spec?.storageClassName ?? "",
        volume.spec?.volumeAttributesClassName ?? "<unset>",
        volume.status?.reason ?? "",
        age(volume, now),
        volume.spec?.volumeMode ?? "Filesystem",
      ];
    },
  },
  PersistentVolumeClaim: {
    columns: [nameColumn, col("Status"), col("Volume"), col("Capacity"), col("Access Modes"), col("StorageClass"), col("VolumeAttributesClass"), col("Age"), wide("VolumeMode")],
    cells: (claim, now) => [
      claim.metadata.name,
      claim.metadata.deletionTimestamp ? "Terminating" : (claim.status?.phase ?? "Pending"),
      claim.spec?.volumeName ?? "",
      String(claim.status?.capacity?.storage ?? ""),
      accessModes(claim.status?.accessModes),
      claim.spec?.storageClassName ?? "",
      claim.spec?.volumeAttributesClassName ?? "<unset>",
      age(claim, now),
      claim.spec?.volumeMode ?? "Filesystem",
    ],
  },
  StorageClass: {
    columns: [nameColumn, col("Provisioner"), col("ReclaimPolicy"), col("VolumeBindingMode"), col("AllowVolumeExpansion"), col("Age")],
    cells: (storageClass, now) => {
      const isDefault = storageClass.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true";
      return [
        isDefault ? `${storageClass.metadata.name} (default)` : storageClass.metadata.name,
        storageClass.provisioner ?? "",
        storageClass.reclaimPolicy ?? "Delete",
        storageClass.volumeBindingMode ?? "Immediate",
        String(storageClass.allowVolumeExpansion ?? false),
        age(storageClass, now),
      ];
    },
  },
  CSIDriver: {
    columns: [nameColumn, col("AttachRequired"), col("PodInfoOnMount"), col("StorageCapacity"), col("TokenRequests"), col("RequiresRepublish"), col("Modes"), col("Age")],
    cells: (driver, now) => [
      driver.metadata.name,
      String(driver.spec?.attachRequired ?? true),
      String(driver.spec?.podInfoOnMount ?? false),
      String(driver.spec?.storageCapacity ?? false),
      (driver.spec?.tokenRequests ?? []).map((request: any) => request.audience).join(",") || none,
      String(driver.spec?.requiresRepublish ?? false),
      (driver.spec?.volumeLifecycleModes ?? []).join(","),
      age(driver, now),
    ],
  },
  CSINode: {
    columns: [nameColumn, col("Drivers"), col("Age")],
    cells: (node, now) => [node.metadata.name, String((node.spec?.drivers ?? []).length), age(node, now)],
  },
  Lease: {
    columns: [nameColumn, col("Holder"), col("Age")],
    cells: (lease, now) => [lease.metadata.name, lease.spec?.holderIdentity ?? "", age(lease, now)],
  },
  FileSystem: {
    columns: [{ name: "ID", priority: 0, format: "name" }, col("Name"), col("State"), col("Size"), col("Mount Targets"), col("Age"), wide("Performance Mode"), wide("Throughput Mode"), wide("Encrypted")],
    cells: (fs, now) => [
      fs.metadata.name,
      tag(fs, "Name") || none,
      fs.status?.lifeCycleState ?? "",
      bytes(fs.status?.sizeInBytes?.value ?? 0),
      String(fs.status?.numberOfMountTargets ?? 0),
      age(fs, now),
      fs.spec?.performanceMode ?? "",
      fs.spec?.throughputMode ?? "",
      String(fs.spec?.encrypted ?? false),
    ],
  },
  AccessPoint: {
    columns: [{ name: "ID", priority: 0, format: "name" }, col("File System"), col("Path"), col("UID:GID"), col("State"), col("Age")],
    cells: (ap, now) => {
      const user = ap.spec?.posixUser;
      return [
        ap.metadata.name,
        ap.spec?.fileSystemId ?? "",
        ap.spec?.rootDirectory?.path ?? "/",
        user ? `${user.uid}:${user.gid}` : none,
        ap.status?.lifeCycleState ?? "",
        age(ap, now),
      ];
    },
  },
  MountTarget: {
    columns: [{ name: "ID", priority: 0, format: "name" }, col("File System"), col("Zone"), col("IP"), col("State"), col("Age"), wide("Subnet")],
    cells: (mt, now) => [
      mt.metadata.name,
      mt.spec?.fileSystemId ?? "",
      mt.spec?.availabilityZoneName ?? "",
      mt.spec?.ipAddress ?? "",
      mt.status?.lifeCycleState ?? "",
      age(mt, now),
      mt.spec?.subnetId ?? "",
    ],
  },
  FargateProfile: {
    columns: [nameColumn, col("Status"), col("Selectors"), col("Age"), wide("Subnets")],
    cells: (profile, now) => [
      profile.metadata.name,
      profile.status?.status ?? profile.status?.phase ?? "",
      (profile.spec?.selectors ?? [])
        .map((selector: any) => {
          const labels = selectorString({ matchLabels: selector.labels ?? {} });
          return labels ? `${selector.namespace}:${labels}` : selector.namespace;
        })
        .join(",") || none,
      age(profile, now),
      (profile.spec?.subnets ?? []).join(",") || none,
    ],
  },
};
