// The shapes of the served kinds, in a compact notation (see schema.ts): which fields exist
// (strict field validation and pruning of unknown fields, as upstream's typed decoding does),
// their primitive types, and how lists merge in a strategic merge patch (the merge-key table).
// `*` marks parts kept free-form (sources, affinity, status written by controllers).

const volumeSources =
  "hostPath:* emptyDir:* gcePersistentDisk:* awsElasticBlockStore:* secret:* nfs:* iscsi:* glusterfs:* " +
  "persistentVolumeClaim:* rbd:* flexVolume:* cinder:* cephfs:* flocker:* downwardAPI:* fc:* azureFile:* configMap:* " +
  "vsphereVolume:* quobyte:* azureDisk:* photonPersistentDisk:* projected:* portworxVolume:* scaleIO:* storageos:* csi:* " +
  "ephemeral:* image:* local:*";

const containerFields =
  "name image command:[s] args:[s] workingDir ports:[ContainerPort@containerPort] envFrom:[*] env:[EnvVar@name] " +
  "resources:ResourceRequirements resizePolicy:[*] restartPolicy volumeMounts:[VolumeMount@mountPath] " +
  "volumeDevices:[*@devicePath] livenessProbe:Probe readinessProbe:Probe startupProbe:Probe lifecycle:* " +
  "terminationMessagePath terminationMessagePolicy imagePullPolicy securityContext:* stdin:b stdinOnce:b tty:b";

export const typeTable: Record<string, string> = {
  ObjectMeta:
    "name generateName namespace selfLink uid resourceVersion generation:i creationTimestamp deletionTimestamp " +
    "deletionGracePeriodSeconds:i labels:{s} annotations:{s} ownerReferences:[OwnerReference@uid] finalizers:[s+] managedFields:[*]",
  OwnerReference: "apiVersion kind name uid controller:b blockOwnerDeletion:b",
  PodTemplateSpec: "metadata:ObjectMeta spec:PodSpec",
  PodSpec:
    "volumes:[Volume@name] initContainers:[Container@name] containers:[Container@name] " +
    "ephemeralContainers:[EphemeralContainer@name] restartPolicy terminationGracePeriodSeconds:i activeDeadlineSeconds:i " +
    "dnsPolicy nodeSelector:{s} serviceAccountName serviceAccount automountServiceAccountToken:b nodeName hostNetwork:b " +
    "hostPID:b hostIPC:b shareProcessNamespace:b securityContext:* imagePullSecrets:[*@name] hostname subdomain affinity:* " +
    "schedulerName tolerations:[*] hostAliases:[*@ip] priorityClassName priority:i dnsConfig:* readinessGates:[*] " +
    "runtimeClassName enableServiceLinks:b preemptionPolicy overhead:{q} topologySpreadConstraints:[*@topologyKey] " +
    "setHostnameAsFQDN:b os:* hostUsers:b schedulingGates:[*@name] resourceClaims:[*@name] resources:ResourceRequirements",
  Container: containerFields,
  EphemeralContainer: `${containerFields} targetContainerName`,
  ContainerPort: "name hostPort:i containerPort:i protocol hostIP",
  EnvVar: "name value valueFrom:*",
  ResourceRequirements: "limits:{q} requests:{q} claims:[*@name]",
  VolumeMount: "name readOnly:b recursiveReadOnly mountPath subPath mountPropagation subPathExpr",
  Probe:
    "exec:* httpGet:* tcpSocket:* grpc:* initialDelaySeconds:i timeoutSeconds:i periodSeconds:i successThreshold:i " +
    "failureThreshold:i terminationGracePeriodSeconds:i",
  Volume: `name ${volumeSources}`,
  PodStatus:
    "... conditions:[*@type] containerStatuses:[*@name] initContainerStatuses:[*@name] ephemeralContainerStatuses:[*@name] podIPs:[*@ip]",
  DeploymentSpec:
    "replicas:i selector:* template:PodTemplateSpec strategy:* minReadySeconds:i revisionHistoryLimit:i paused:b progressDeadlineSeconds:i",
  ReplicaSetSpec: "replicas:i minReadySeconds:i selector:* template:PodTemplateSpec",
  StatefulSetSpec:
    "replicas:i selector:* template:PodTemplateSpec volumeClaimTemplates:[*] serviceName podManagementPolicy updateStrategy:* " +
    "revisionHistoryLimit:i minReadySeconds:i persistentVolumeClaimRetentionPolicy:* ordinals:*",
  JobSpec:
    "parallelism:i completions:i activeDeadlineSeconds:i podFailurePolicy:* successPolicy:* backoffLimit:i backoffLimitPerIndex:i " +
    "maxFailedIndexes:i selector:* manualSelector:b template:PodTemplateSpec ttlSecondsAfterFinished:i completionMode suspend:b " +
    "podReplacementPolicy managedBy",
  WorkloadStatus: "... conditions:[*@type]",
  ServiceSpec:
    "ports:[ServicePort@port] selector:{s} clusterIP clusterIPs:[s] type externalIPs:[s] sessionAffinity loadBalancerIP " +
    "loadBalancerSourceRanges:[s] externalName externalTrafficPolicy healthCheckNodePort:i publishNotReadyAddresses:b " +
    "sessionAffinityConfig:* ipFamilies:[s] ipFamilyPolicy allocateLoadBalancerNodePorts:b loadBalancerClass " +
    "internalTrafficPolicy trafficDistribution",
  ServicePort: "name protocol appProtocol port:i targetPort:q nodePort:i",
  PersistentVolumeSpec:
    `capacity:{q} accessModes:[s] claimRef:* persistentVolumeReclaimPolicy storageClassName mountOptions:[s] volumeMode ` +
    `nodeAffinity:* volumeAttributesClassName ${volumeSources}`,
  PersistentVolumeClaimSpec:
    "accessModes:[s] selector:* resources:ResourceRequirements volumeName storageClassName volumeMode dataSource:* " +
    "dataSourceRef:* volumeAttributesClassName",
  CSIDriverSpec:
    "attachRequired:b podInfoOnMount:b volumeLifecycleModes:[s] storageCapacity:b fsGroupPolicy tokenRequests:[*] " +
    "requiresRepublish:b seLinuxMount:b",
  CSINodeSpec: "drivers:[*@name]",
  LeaseSpec: "holderIdentity leaseDurationSeconds:i acquireTime renewTime leaseTransitions:i strategy preferredHolder",
  NamespaceSpec: "finalizers:[s]",
  NodeSpec: "podCIDR podCIDRs:[s] providerID unschedulable:b taints:[*] configSource:* externalID",
  NodeStatus: "... conditions:[*@type] addresses:[*@type]",
};

const top = "apiVersion kind metadata:ObjectMeta";

/** Each kind's top-level fields; kinds not listed here are free-form. */
export const kindTable: Record<string, string> = {
  Pod: `${top} spec:PodSpec status:PodStatus`,
  Deployment: `${top} spec:DeploymentSpec status:WorkloadStatus`,
  ReplicaSet: `${top} spec:ReplicaSetSpec status:WorkloadStatus`,
  StatefulSet: `${top} spec:StatefulSetSpec status:WorkloadStatus`,
  Job: `${top} spec:JobSpec status:WorkloadStatus`,
  Service: `${top} spec:ServiceSpec status:*`,
  Endpoints: `${top} subsets:[*]`,
  EndpointSlice: `${top} addressType endpoints:[*] ports:[*]`,
  ConfigMap: `${top} data:{s} binaryData:{s} immutable:b`,
  Secret: `${top} data:{s} stringData:{s} type immutable:b`,
  ServiceAccount: `${top} secrets:[*@name] imagePullSecrets:[*@name] automountServiceAccountToken:b`,
  Event:
    `${top} involvedObject:* reason message source:* firstTimestamp lastTimestamp count:i type eventTime series:* action ` +
    "related:* reportingComponent reportingInstance",
  Namespace: `${top} spec:NamespaceSpec status:*`,
  Node: `${top} spec:NodeSpec status:NodeStatus`,
  PersistentVolume: `${top} spec:PersistentVolumeSpec status:*`,
  PersistentVolumeClaim: `${top} spec:PersistentVolumeClaimSpec status:*`,
  StorageClass: `${top} provisioner parameters:{s} reclaimPolicy mountOptions:[s] allowVolumeExpansion:b volumeBindingMode allowedTopologies:[*]`,
  CSIDriver: `${top} spec:CSIDriverSpec`,
  CSINode: `${top} spec:CSINodeSpec`,
  Lease: `${top} spec:LeaseSpec`,
};
