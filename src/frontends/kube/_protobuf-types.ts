// Protobuf field numbers of the kinds `kubectl create <generator>` sends as
// `application/vnd.kubernetes.protobuf` (namespace, configmap, secret, serviceaccount,
// deployment, job, service) and the access reviews `kubectl auth` sends, from k8s.io/api's
// generated.proto. One token per field:
// `number:name:type`; types: s string, i integer, b bool, y bytes (base64 in JSON), q quantity,
// o int-or-string, t time, a message name, `[t]` repeated, `{t}` map with string keys.
// A `^` before the name inlines the message's fields into its parent (Go's embedded structs).
// A `!` after the type keeps a zero value (pointer fields, where zero means something).

export const protobufTypes: Record<string, string> = {
  ObjectMeta:
    "1:name:s 2:generateName:s 3:namespace:s 4:selfLink:s 5:uid:s 6:resourceVersion:s 7:generation:i 8:creationTimestamp:t " +
    "9:deletionTimestamp:t 10:deletionGracePeriodSeconds:i! 11:labels:{s} 12:annotations:{s} 13:ownerReferences:[OwnerReference] 14:finalizers:[s]",
  OwnerReference: "1:kind:s 3:name:s 4:uid:s 5:apiVersion:s 6:controller:b! 7:blockOwnerDeletion:b!",
  LabelSelector: "1:matchLabels:{s} 2:matchExpressions:[LabelSelectorRequirement]",
  LabelSelectorRequirement: "1:key:s 2:operator:s 3:values:[s]",
  ConfigMap: "1:metadata:ObjectMeta 2:data:{s} 3:binaryData:{y} 4:immutable:b!",
  Secret: "1:metadata:ObjectMeta 2:data:{y} 3:type:s 4:stringData:{s} 5:immutable:b!",
  Namespace: "1:metadata:ObjectMeta 2:spec:NamespaceSpec",
  NamespaceSpec: "1:finalizers:[s]",
  ServiceAccount: "1:metadata:ObjectMeta 2:secrets:[ObjectReference] 3:imagePullSecrets:[LocalObjectReference] 4:automountServiceAccountToken:b!",
  ObjectReference: "1:kind:s 2:namespace:s 3:name:s 4:uid:s 5:apiVersion:s 6:resourceVersion:s 7:fieldPath:s",
  LocalObjectReference: "1:name:s",
  Deployment: "1:metadata:ObjectMeta 2:spec:DeploymentSpec",
  DeploymentSpec:
    "1:replicas:i! 2:selector:LabelSelector 3:template:PodTemplateSpec 4:strategy:DeploymentStrategy 5:minReadySeconds:i " +
    "6:revisionHistoryLimit:i! 7:paused:b 9:progressDeadlineSeconds:i!",
  DeploymentStrategy: "1:type:s 2:rollingUpdate:RollingUpdateDeployment",
  RollingUpdateDeployment: "1:maxUnavailable:o 2:maxSurge:o",
  Job: "1:metadata:ObjectMeta 2:spec:JobSpec",
  JobSpec:
    "1:parallelism:i! 2:completions:i! 3:activeDeadlineSeconds:i! 4:selector:LabelSelector 5:manualSelector:b! 6:template:PodTemplateSpec " +
    "7:backoffLimit:i! 8:ttlSecondsAfterFinished:i! 9:completionMode:s 10:suspend:b!",
  Service: "1:metadata:ObjectMeta 2:spec:ServiceSpec",
  ServiceSpec:
    "1:ports:[ServicePort] 2:selector:{s} 3:clusterIP:s 4:type:s 5:externalIPs:[s] 7:sessionAffinity:s 8:loadBalancerIP:s " +
    "9:loadBalancerSourceRanges:[s] 10:externalName:s 11:externalTrafficPolicy:s 12:healthCheckNodePort:i 13:publishNotReadyAddresses:b " +
    "17:ipFamilyPolicy:s 18:clusterIPs:[s] 19:ipFamilies:[s] 20:allocateLoadBalancerNodePorts:b! 21:loadBalancerClass:s 22:internalTrafficPolicy:s",
  ServicePort: "1:name:s 2:protocol:s 3:port:i 4:targetPort:o 5:nodePort:i 6:appProtocol:s",
  PodTemplateSpec: "1:metadata:ObjectMeta 2:spec:PodSpec",
  PodSpec:
    "1:volumes:[Volume] 2:containers:[Container] 3:restartPolicy:s 4:terminationGracePeriodSeconds:i! 5:activeDeadlineSeconds:i! " +
    "6:dnsPolicy:s 7:nodeSelector:{s} 8:serviceAccountName:s 9:serviceAccount:s 10:nodeName:s 11:hostNetwork:b 12:hostPID:b " +
    "13:hostIPC:b 15:imagePullSecrets:[LocalObjectReference] 16:hostname:s 17:subdomain:s 19:schedulerName:s 20:initContainers:[Container] " +
    "21:automountServiceAccountToken:b! 24:priorityClassName:s 25:priority:i! 29:runtimeClassName:s 30:enableServiceLinks:b! 31:preemptionPolicy:s",
  Volume: "1:name:s 2:^volumeSource:VolumeSource",
  VolumeSource: "2:emptyDir:EmptyDirVolumeSource 10:persistentVolumeClaim:PersistentVolumeClaimVolumeSource 19:configMap:ConfigMapVolumeSource 6:secret:SecretVolumeSource",
  EmptyDirVolumeSource: "1:medium:s 2:sizeLimit:q",
  PersistentVolumeClaimVolumeSource: "1:claimName:s 2:readOnly:b",
  ConfigMapVolumeSource: "1:^localObjectReference:LocalObjectReference",
  SecretVolumeSource: "1:secretName:s",
  Container:
    "1:name:s 2:image:s 3:command:[s] 4:args:[s] 5:workingDir:s 6:ports:[ContainerPort] 7:env:[EnvVar] 8:resources:ResourceRequirements " +
    "9:volumeMounts:[VolumeMount] 13:terminationMessagePath:s 14:imagePullPolicy:s 16:stdin:b 17:stdinOnce:b 18:tty:b " +
    "20:terminationMessagePolicy:s 24:restartPolicy:s",
  ContainerPort: "1:name:s 2:hostPort:i 3:containerPort:i 4:protocol:s 5:hostIP:s",
  EnvVar: "1:name:s 2:value:s",
  ResourceRequirements: "1:limits:{q} 2:requests:{q}",
  VolumeMount: "1:name:s 2:readOnly:b 3:mountPath:s 4:subPath:s",
  SelfSubjectAccessReview: "1:metadata:ObjectMeta 2:spec:SelfSubjectAccessReviewSpec",
  SelfSubjectAccessReviewSpec: "1:resourceAttributes:ResourceAttributes 2:nonResourceAttributes:NonResourceAttributes",
  ResourceAttributes: "1:namespace:s 2:verb:s 3:group:s 4:version:s 5:resource:s 6:subresource:s 7:name:s",
  NonResourceAttributes: "1:path:s 2:verb:s",
  SelfSubjectReview: "1:metadata:ObjectMeta",
};
