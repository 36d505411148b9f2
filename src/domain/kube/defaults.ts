// Defaulting as upstream's SetDefaults_* functions and admission do, so objects read back as a
// real cluster returns them (and re-applies diff against the same fields).

type Any = any;

function podSpecDefaults(spec: Any): void {
  if (!spec || typeof spec !== "object") return;
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  spec.enableServiceLinks ??= true;
  for (const list of ["containers", "initContainers"]) {
    for (const container of spec[list] ?? []) containerDefaults(container);
  }
  for (const volume of spec.volumes ?? []) volumeDefaults(volume);
}

function containerDefaults(container: Any): void {
  if (!container || typeof container !== "object") return;
  container.terminationMessagePath ??= "/dev/termination-log";
  container.terminationMessagePolicy ??= "File";
  if (container.imagePullPolicy === undefined && typeof container.image === "string") {
    const tagged = /:[^/]+$/.test(container.image.replace(/@.*$/, "")) && !container.image.endsWith(":latest");
    container.imagePullPolicy = tagged || container.image.includes("@") ? "IfNotPresent" : "Always";
  }
  container.resources ??= {};
  for (const port of container.ports ?? []) port.protocol ??= "TCP";
  for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
    const value = container[probe];
    if (!value) continue;
    value.timeoutSeconds ??= 1;
    value.periodSeconds ??= 10;
    value.successThreshold ??= 1;
    value.failureThreshold ??= 3;
    if (value.httpGet) value.httpGet.scheme ??= "HTTP";
  }
}

function volumeDefaults(volume: Any): void {
  if (!volume || typeof volume !== "object") return;
  if (volume.secret) volume.secret.defaultMode ??= 420;
  if (volume.configMap) volume.configMap.defaultMode ??= 420;
  if (volume.projected) volume.projected.defaultMode ??= 420;
  if (volume.downwardAPI) volume.downwardAPI.defaultMode ??= 420;
  if (volume.hostPath) volume.hostPath.type ??= "";
}

function templateDefaults(template: Any): void {
  if (!template || typeof template !== "object") return;
  template.metadata ??= {};
  podSpecDefaults(template.spec);
}

function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Pod QoS class from its containers' requests and limits, as upstream computes it. */
export function qosClass(spec: Any): "Guaranteed" | "Burstable" | "BestEffort" {
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const container of containers) {
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) any = true;
    for (const resource of ["cpu", "memory"]) {
      const limit = limits[resource];
      const request = requests[resource] ?? limit;
      if (limit === undefined || String(request) !== String(limit)) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

const byKind: Record<string, (object: Any) => void> = {
  Pod: (pod) => {
    pod.spec ??= {};
    podSpecDefaults(pod.spec);
    pod.spec.serviceAccountName ??= pod.spec.serviceAccount ?? "default";
    pod.spec.serviceAccount ??= pod.spec.serviceAccountName;
    pod.spec.priority ??= 0;
    pod.spec.preemptionPolicy ??= "PreemptLowerPriority";
    pod.spec.tolerations ??= [
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ];
  },
  Deployment: (deployment) => {
    const spec = (deployment.spec ??= {});
    spec.replicas ??= 1;
    spec.strategy ??= {};
    spec.strategy.type ??= "RollingUpdate";
    if (spec.strategy.type === "RollingUpdate") {
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxSurge ??= "25%";
      spec.strategy.rollingUpdate.maxUnavailable ??= "25%";
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    templateDefaults(spec.template);
  },
  ReplicaSet: (set) => {
    const spec = (set.spec ??= {});
    spec.replicas ??= 1;
    templateDefaults(spec.template);
  },
  StatefulSet: (set) => {
    const spec = (set.spec ??= {});
    spec.replicas ??= 1;
    spec.podManagementPolicy ??= "OrderedReady";
    spec.updateStrategy ??= { type: "RollingUpdate" };
    if (spec.updateStrategy.type === "RollingUpdate") {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.partition ??= 0;
    }
    spec.revisionHistoryLimit ??= 10;
    spec.persistentVolumeClaimRetentionPolicy ??= {};
    spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= "Retain";
    spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= "Retain";
    for (const claim of spec.volumeClaimTemplates ?? []) {
      claim.apiVersion ??= "v1";
      claim.kind ??= "PersistentVolumeClaim";
      claim.spec ??= {};
      claim.spec.volumeMode ??= "Filesystem";
    }
    templateDefaults(spec.template);
  },
  Job: (job) => {
    const spec = (job.spec ??= {});
    if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
    spec.parallelism ??= 1;
    spec.backoffLimit ??= 6;
    spec.completionMode ??= "NonIndexed";
    spec.suspend ??= false;
    spec.podReplacementPolicy ??= "TerminatingOrFailed";
    templateDefaults(spec.template);
  },
  Service: (service) => {
    const spec = (service.spec ??= {});
    spec.type ??= "ClusterIP";
    spec.sessionAffinity ??= "None";
    for (const port of spec.ports ?? []) {
      port.protocol ??= "TCP";
      port.targetPort ??= port.port;
    }
    if (spec.type !== "ExternalName") {
      spec.ipFamilies ??= ["IPv4"];
      spec.ipFamilyPolicy ??= "SingleStack";
      spec.internalTrafficPolicy ??= "Cluster";
    }
  },
  Secret: (secret) => {
    secret.type ??= "Opaque";
    // stringData is write-only: upstream folds it into data (base64) and never stores it.
    if (secret.stringData && typeof secret.stringData === "object") {
      secret.data = { ...secret.data };
      for (const [key, value] of Object.entries(secret.stringData)) secret.data[key] = base64(String(value));
      delete secret.stringData;
    }
  },
  Namespace: (namespace) => {
    namespace.spec ??= {};
    namespace.spec.finalizers ??= ["kubernetes"];
    namespace.metadata.labels = { ...namespace.metadata.labels, "kubernetes.io/metadata.name": namespace.metadata.name };
  },
  PersistentVolumeClaim: (claim) => {
    claim.spec ??= {};
    claim.spec.volumeMode ??= "Filesystem";
  },
  PersistentVolume: (volume) => {
    volume.spec ??= {};
    volume.spec.persistentVolumeReclaimPolicy ??= "Retain";
    volume.spec.volumeMode ??= "Filesystem";
  },
  StorageClass: (storageClass) => {
    storageClass.reclaimPolicy ??= "Delete";
    storageClass.volumeBindingMode ??= "Immediate";
  },
  CSIDriver: (driver) => {
    const spec = (driver.spec ??= {});
    spec.attachRequired ??= true;
    spec.podInfoOnMount ??= false;
    spec.requiresRepublish ??= false;
    spec.storageCapacity ??= false;
    spec.fsGroupPolicy ??= "ReadWriteOnceWithFSType";
    spec.volumeLifecycleModes ??= ["Persistent"];
    spec.seLinuxMount ??= false;
  },
};

/** Fills in upstream's defaults for the object's kind, in place. */
export function applyDefaults(object: Any): void {
  byKind[object.kind]?.(object);
}

/** The status a newly created object starts with (status is the controllers' to write). */
export function initialStatus(object: Any): Any {
  switch (object.kind) {
    case "Pod":
      return { phase: "Pending", qosClass: qosClass(object.spec) };
    case "Namespace":
      return { phase: "Active" };
    case "PersistentVolumeClaim":
      return { phase: "Pending" };
    case "PersistentVolume":
      return { phase: "Pending" };
    case "Service":
      return { loadBalancer: {} };
    case "Deployment":
    case "ReplicaSet":
    case "StatefulSet":
    case "Job":
      return {};
    default:
      return object.status;
  }
}
