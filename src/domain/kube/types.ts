// The Kubernetes objects Moor reads, named: pods and their containers and volumes, claims,
// persistent volumes (the CSI source), nodes, secrets, config maps and leases. Only the fields
// Moor's code reads are listed; objects keep every other field they carry (StoredObject's index
// signature), so a type here never drops what a client wrote. Field names follow core/v1.

import type { StoredObject } from "../objects/mod.js";

export type ResourceList = Record<string, string>;

export type LocalObjectReference = { name: string };

export type ResourceRequirements = { limits?: ResourceList; requests?: ResourceList };

export type ObjectFieldSelector = { fieldPath: string; apiVersion?: string };

export interface ResourceFieldSelector {
  resource: string;
  containerName?: string;
  divisor?: string;
}

export interface KeySelector {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: KeySelector; secretKeyRef?: KeySelector; fieldRef?: ObjectFieldSelector; resourceFieldRef?: ResourceFieldSelector };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
  subPathExpr?: string;
  mountPropagation?: string;
}

export interface ContainerPort {
  containerPort: number;
  name?: string;
  protocol?: string;
  hostPort?: number;
}

export interface Probe {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port: number | string; host?: string };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}

export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  resources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  ports?: ContainerPort[];
  securityContext?: SecurityContext;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}

export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

export type EmptyDirVolumeSource = { medium?: "" | "Memory"; sizeLimit?: string };

export interface ConfigMapVolumeSource {
  name: string;
  items?: KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
}

export interface SecretVolumeSource {
  secretName: string;
  items?: KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
}

export interface DownwardAPIVolumeFile {
  path: string;
  fieldRef?: ObjectFieldSelector;
  resourceFieldRef?: ResourceFieldSelector;
  mode?: number;
}

export interface DownwardAPIVolumeSource {
  items?: DownwardAPIVolumeFile[];
  defaultMode?: number;
}

export interface ObjectProjection {
  name: string;
  items?: KeyToPath[];
  optional?: boolean;
}

export interface VolumeProjection {
  configMap?: ObjectProjection;
  secret?: ObjectProjection;
  downwardAPI?: { items?: DownwardAPIVolumeFile[] };
  serviceAccountToken?: { path: string; audience?: string; expirationSeconds?: number };
}

export interface ProjectedVolumeSource {
  sources?: VolumeProjection[];
  defaultMode?: number;
}

export type PersistentVolumeClaimVolumeSource = { claimName: string; readOnly?: boolean };

/** An inline (ephemeral) CSI volume in a pod. */
export interface CSIVolumeSource {
  driver: string;
  readOnly?: boolean;
  fsType?: string;
  volumeAttributes?: Record<string, string>;
}

/**
 * A pod's volume: its name and one source. Sources Moor does not serve (hostPath, nfs, ...) are
 * still there, under their own keys, to be refused by name.
 */
export interface Volume {
  name: string;
  emptyDir?: EmptyDirVolumeSource;
  configMap?: ConfigMapVolumeSource;
  secret?: SecretVolumeSource;
  downwardAPI?: DownwardAPIVolumeSource;
  projected?: ProjectedVolumeSource;
  persistentVolumeClaim?: PersistentVolumeClaimVolumeSource;
  csi?: CSIVolumeSource;
  [source: string]: unknown;
}

export interface PodSpec {
  nodeName?: string;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  restartPolicy?: "Always" | "OnFailure" | "Never";
  serviceAccountName?: string;
  imagePullSecrets?: LocalObjectReference[];
  terminationGracePeriodSeconds?: number;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: { runAsUser?: number; runAsGroup?: number; runAsNonRoot?: boolean; fsGroup?: number; supplementalGroups?: number[] };
}

export interface PodCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
}

export interface PodStatus {
  phase?: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  conditions?: PodCondition[];
  podIP?: string;
  hostIP?: string;
  [field: string]: unknown;
}

export type Pod = StoredObject<PodSpec, PodStatus>;

export interface PersistentVolumeClaimSpec {
  volumeName?: string;
  storageClassName?: string;
  accessModes?: string[];
  resources?: ResourceRequirements;
  volumeMode?: string;
}

export interface PersistentVolumeClaimStatus {
  phase?: "Pending" | "Bound" | "Lost";
  accessModes?: string[];
  capacity?: ResourceList;
}

export type PersistentVolumeClaim = StoredObject<PersistentVolumeClaimSpec, PersistentVolumeClaimStatus>;

/** A PersistentVolume's CSI source: which driver serves it and its handle in that driver. */
export interface CSIPersistentVolumeSource {
  driver: string;
  volumeHandle: string;
  readOnly?: boolean;
  fsType?: string;
  volumeAttributes?: Record<string, string>;
}

export interface PersistentVolumeSpec {
  csi?: CSIPersistentVolumeSource;
  mountOptions?: string[];
  capacity?: ResourceList;
  accessModes?: string[];
  storageClassName?: string;
  persistentVolumeReclaimPolicy?: "Retain" | "Delete" | "Recycle";
  claimRef?: { namespace?: string; name?: string; uid?: string };
}

export type PersistentVolumeStatus = { phase?: "Pending" | "Available" | "Bound" | "Released" | "Failed" };

export type PersistentVolume = StoredObject<PersistentVolumeSpec, PersistentVolumeStatus>;

export interface Taint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export type NodeAddress = { type: string; address: string };

export interface NodeCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export interface NodeSpec {
  taints?: Taint[];
  unschedulable?: boolean;
  providerID?: string;
}

export interface NodeStatus {
  addresses?: NodeAddress[];
  conditions?: NodeCondition[];
  capacity?: ResourceList;
  allocatable?: ResourceList;
  [field: string]: unknown;
}

export type Node = StoredObject<NodeSpec, NodeStatus>;

/** Secrets and config maps keep their payload beside metadata, not in a spec. */
export interface Secret extends StoredObject<undefined, undefined> {
  type?: string;
  /** Values base64-encoded. */
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface ConfigMap extends StoredObject<undefined, undefined> {
  data?: Record<string, string>;
  /** Values base64-encoded. */
  binaryData?: Record<string, string>;
}

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  renewTime?: string;
}

export type Lease = StoredObject<LeaseSpec, undefined>;
