// What Fargate refuses to run, worded as the fargate-scheduler words it in its FailedScheduling
// event: `Pod not supported on Fargate: <reasons joined by ", ">`.

export const efsDriverName = "efs.csi.aws.com";

/** What the check needs to know about a claim: the PV it is bound to and that PV's driver. */
export interface ClaimLookup {
  (claimName: string): { found: false } | { found: true; volumeName?: string; csiDriver?: string; pvFound: boolean };
}

interface Container {
  name: string;
  ports?: { hostPort?: number; hostIP?: string }[];
  securityContext?: { privileged?: boolean };
}

export interface PodForFargate {
  ownerReferences?: { kind: string }[];
  spec: {
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    containers: Container[];
    initContainers?: Container[];
    volumes?: { name: string; [type: string]: unknown }[];
  };
}

const supportedVolumeTypes = new Set(["emptyDir", "configMap", "secret", "downwardAPI", "projected", "persistentVolumeClaim"]);

export function fargateProblems(pod: PodForFargate, claims: ClaimLookup): string[] {
  const reasons: string[] = [];
  if (pod.ownerReferences?.some((owner) => owner.kind === "DaemonSet")) reasons.push("fields not supported: DaemonSet");
  const hostFields = [
    pod.spec.hostNetwork && "HostNetwork",
    pod.spec.hostPID && "HostPID",
    pod.spec.hostIPC && "HostIPC",
  ].filter(Boolean);
  if (hostFields.length > 0) reasons.push(`fields not supported: ${hostFields.join(", ")}`);
  const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  if (containers.some((container) => container.securityContext?.privileged)) reasons.push("invalid SecurityContext fields: Privileged");
  if (containers.some((container) => container.ports?.some((port) => port.hostPort || port.hostIP))) reasons.push("port contains HostIP or HostPort");
  for (const volume of pod.spec.volumes ?? []) {
    const reason = volumeProblem(volume, claims);
    if (reason) reasons.push(`volumes not supported: ${reason}`);
  }
  return reasons;
}

export function fargateRefusal(reasons: string[]): string {
  return `Pod not supported on Fargate: ${reasons.join(", ")}`;
}

function volumeProblem(volume: { name: string; [type: string]: unknown }, claims: ClaimLookup): string | undefined {
  const type = Object.keys(volume).find((key) => key !== "name");
  if (!type || !supportedVolumeTypes.has(type)) return `${volume.name} is of an unsupported volume Type`;
  if (type !== "persistentVolumeClaim") return undefined;
  const claimName = (volume.persistentVolumeClaim as { claimName?: string }).claimName ?? "";
  const claim = claims(claimName);
  if (!claim.found) return `${volume.name} not supported because: persistentvolumeclaim "${claimName}" not found`;
  if (!claim.volumeName || !claim.pvFound) return undefined; // Unbound: binding decides later.
  if (claim.csiDriver === efsDriverName) return undefined;
  const driver = claim.csiDriver ? ` with CSI Driver: ${claim.csiDriver}` : " that is not a CSI volume";
  return `${volume.name} not supported because: PVC ${claimName} bound to invalid PV ${claim.volumeName}${driver}`;
}
