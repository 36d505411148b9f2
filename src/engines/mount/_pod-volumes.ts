// The EFS CSI driver's node side, for the node agent: a pod's persistentVolumeClaim volume bound
// to an efs.csi.aws.com PersistentVolume is mounted through the mount engine at a per-pod host
// path. Errors keep their category and read as the driver's gRPC errors do in kubelet events.

import { join } from "node:path";
import { driverName, iamRoleAnnotation, readCsiVolume } from "../../domain/csi/mod.js";
import { podSecurityGroupIds } from "../../domain/securitygroups/mod.js";
import { invalid, isMoorError, MoorError, unavailable, unsupported } from "../../errors/mod.js";
import type { VolumeMountRequest, VolumeProvider } from "./_provider.js";
import type { MountEngine } from "./mod.js";

export type PodVolumeRequest = VolumeMountRequest;
export type PodVolumeProvider = VolumeProvider;

const grpcCodes: Record<string, string> = {
  NotFound: "NotFound",
  Invalid: "InvalidArgument",
  Forbidden: "PermissionDenied",
  Unavailable: "Unavailable",
  Unsupported: "InvalidArgument",
  Conflict: "Aborted",
  LimitExceeded: "ResourceExhausted",
};

export function createPodVolumeProvider(engine: MountEngine, mountsRoot: string): PodVolumeProvider {
  return {
    async mount(request) {
      const { claim, pv } = request;
      if (request.volume.csi) throw unsupported(`CSI inline volumes are not supported: use a PersistentVolume with driver ${driverName}`);
      if (!claim) throw invalid(`volume "${request.volumeName}" has no claim`);
      if (!pv || claim.status?.phase !== "Bound") throw unavailable(`persistentvolumeclaim "${claim.metadata.name}" is not bound`);
      const csi = pv.spec?.csi;
      if (!csi || csi.driver !== driverName) throw unsupported(`PersistentVolume "${pv.metadata.name}" is not served by ${driverName}`);
      const volume = readCsiVolume(csi, pv.spec?.mountOptions);
      if ("error" in volume) throw invalid(`rpc error: code = InvalidArgument desc = ${volume.error}`);
      const { handle, settings } = volume;
      const hostPath = join(mountsRoot, request.pod.metadata.uid ?? "pod", request.volumeName);
      const readOnly = request.readOnly || settings.readOnly || Boolean(csi.readOnly);
      try {
        const source = request.podIp ? { source: { ip: request.podIp, securityGroupIds: podSecurityGroupIds(request.pod.metadata.annotations) } } : {};
        const role = request.pod.metadata.annotations?.[iamRoleAnnotation];
        const principal = settings.iam && role ? { principalArn: role } : {};
        await engine.mount({ target: handle, zone: request.zone, tls: settings.tls, iam: settings.iam, readOnly, mountPoint: hostPath, owner: "pod", ...source, ...principal });
      } catch (error) {
        if (!isMoorError(error)) throw error;
        const code = grpcCodes[error.category] ?? "Internal";
        throw new MoorError(error.category, `rpc error: code = ${code} desc = ${error.message}`, { cause: error });
      }
      return { hostPath, release: () => engine.unmount(hostPath).catch(() => {}) };
    },
  };
}
