// Resolves a mount request against the EFS objects: the file system, a mount target in the
// client's zone, the access point and its identity, and the file-system policy. The result says
// which directory to present, as whom, and whether Moor must enforce anything (FUSE) or can hand
// the directory over as it is (bind mount).

import { isVolumeTarget, parseVolumeHandle } from "../../domain/csi/mod.js";
import {
  accessPointArn,
  accessPointKind,
  evaluatePolicy,
  fileSystemArn,
  fileSystemDnsName,
  fileSystemKind,
  mountTargetKind,
  type AccessPointObject,
  type FileSystemObject,
  type MountTargetObject,
  type PolicyRequest,
  type PosixUser,
} from "../../domain/efs/mod.js";
import { admittingGroup, type PacketSource, releasingGroup, type SecurityGroupObject, securityGroupKind } from "../../domain/securitygroups/mod.js";
import { forbidden, invalid, notFound, unavailable } from "../../errors/mod.js";
import type { ObjectKey, StoredObject } from "../../domain/objects/mod.js";

export interface MountRequest {
  /** `[efs:]fs-id[:subpath[:fsap-id]]`. */
  target: string;
  /** Access point given as a mount option (`-o accesspoint=`), when not in the target. */
  accessPointId?: string;
  /** The client's availability zone. */
  zone: string;
  readOnly?: boolean;
  tls?: boolean;
  iam?: boolean;
  /** The identity an `iam` mount presents instead of the client's (a task role). */
  principalArn?: string;
  /** The client's address and groups (a pod's); the mount target's groups must admit NFS from it. */
  source?: PacketSource;
  /** Serve through Moor's FUSE daemon even when nothing needs enforcing (an instance's mount: its
   * file-system type is then Moor's, so the instance's umount(8) finds Moor's helper). */
  enforce?: boolean;
}

/** Codes on the refusals a client tells apart (an instance's mount helper words each its own way). */
export const mountRefusalCodes = { fileSystemNotFound: "FileSystemNotFound", noMountTarget: "NoMountTarget", nfsNotAdmitted: "NfsNotAdmitted" } as const;

export interface ClientContext {
  region: string;
  accountId: string;
  /** The identity an `iam` mount presents. */
  principalArn: string;
}

export interface Resolution {
  fileSystemId: string;
  accessPoint?: AccessPointObject;
  /** Path inside the file system, from its root, of the directory to present. */
  pathInFileSystem: string;
  posixUser?: PosixUser;
  readOnly: boolean;
  squashRoot: boolean;
  /** True when nothing needs enforcing: a bind mount serves it natively. */
  native: boolean;
}

/** What the mount engine reads of file systems, access points and mount targets: a narrow,
 * synchronous view of the control plane's objects (the store satisfies it). */
export interface EfsObjectReader {
  get(key: ObjectKey): StoredObject | undefined;
  list(kind: string): { items: StoredObject[] };
}

export function resolveMount(store: EfsObjectReader, client: ClientContext, request: MountRequest): Resolution {
  const parsed = parseVolumeHandle(request.target);
  if (!isVolumeTarget(parsed)) throw invalid(`Cannot mount "${request.target}": ${parsed.error}`);
  if (request.accessPointId && parsed.accessPointId && request.accessPointId !== parsed.accessPointId) {
    throw invalid(`Cannot mount "${request.target}": the accesspoint option "${request.accessPointId}" differs from the target's "${parsed.accessPointId}"`);
  }
  const accessPointId = parsed.accessPointId ?? request.accessPointId;
  const fail = (message: string) => `Cannot mount "${request.target}": ${message}`;
  if (accessPointId && !request.tls) throw invalid(fail(`the "tls" option is required when mounting via "accesspoint"`));
  if (request.iam && !request.tls) throw invalid(fail(`the "tls" option is required when mounting via "iam"`));

  const fileSystem = store.get({ kind: fileSystemKind, name: parsed.fileSystemId }) as FileSystemObject | undefined;
  if (!fileSystem) throw notFound(fail(`file system "${parsed.fileSystemId}" does not exist`), { code: mountRefusalCodes.fileSystemNotFound });
  if (fileSystem.status.lifeCycleState !== "available") throw unavailable(fail(`file system "${parsed.fileSystemId}" is ${fileSystem.status.lifeCycleState}`));
  const target = requireMountTarget(store, client, fileSystem, request.zone, fail);
  if (request.source) requireNfsAdmitted(store, target, request.source, fail);

  let accessPoint: AccessPointObject | undefined;
  if (accessPointId) {
    accessPoint = store.get({ kind: accessPointKind, name: accessPointId }) as AccessPointObject | undefined;
    if (!accessPoint) throw notFound(fail(`access point "${accessPointId}" does not exist`));
    if (accessPoint.spec.fileSystemId !== parsed.fileSystemId) throw invalid(fail(`access point "${accessPointId}" belongs to file system "${accessPoint.spec.fileSystemId}"`));
    if (accessPoint.status.lifeCycleState !== "available") throw unavailable(fail(`access point "${accessPointId}" is ${accessPoint.status.lifeCycleState}`));
  }

  const policy = (action: PolicyRequest["action"]) =>
    evaluatePolicy(fileSystem.spec.policy, {
      action,
      secureTransport: Boolean(request.tls),
      accessedViaMountTarget: true,
      fileSystemArn: fileSystemArn(client.region, client.accountId, parsed.fileSystemId),
      ...(accessPointId ? { accessPointArn: accessPointArn(client.region, client.accountId, accessPointId) } : {}),
      ...(request.iam ? { principalArn: request.principalArn ?? client.principalArn } : {}),
    }) === "allow";
  if (!policy("ClientMount")) {
    throw forbidden(fail(`access denied by server: the file system policy of "${parsed.fileSystemId}" does not allow elasticfilesystem:ClientMount for this client`));
  }
  const canWrite = policy("ClientWrite");
  const rootAccess = policy("ClientRootAccess");
  const root = accessPoint?.spec.rootDirectory.path ?? "/";
  const pathInFileSystem = joinPaths(root, parsed.subPath);
  const readOnly = Boolean(request.readOnly) || !canWrite;
  const posixUser = accessPoint?.spec.posixUser;
  return {
    fileSystemId: parsed.fileSystemId,
    ...(accessPoint ? { accessPoint } : {}),
    pathInFileSystem,
    ...(posixUser ? { posixUser } : {}),
    readOnly,
    squashRoot: !rootAccess,
    native: !posixUser && rootAccess && !request.enforce,
  };
}

function requireMountTarget(store: EfsObjectReader, client: ClientContext, fileSystem: FileSystemObject, zone: string, fail: (message: string) => string): MountTargetObject {
  const targets = store
    .list(mountTargetKind)
    .items.map((object) => object as MountTargetObject)
    .filter((target) => target.spec.fileSystemId === fileSystem.metadata.name && target.status.lifeCycleState === "available");
  // A One Zone file system is reached from any zone through its single mount target.
  const usable = fileSystem.spec.availabilityZoneName ? targets : targets.filter((target) => target.spec.availabilityZoneName === zone);
  if (usable.length > 0) return usable[0]!;
  const dnsName = `${zone}.${fileSystemDnsName(client.region, fileSystem.metadata.name)}`;
  throw unavailable(
    fail(
      `Failed to resolve "${dnsName}" - file system "${fileSystem.metadata.name}" has no available mount target in availability zone "${zone}"; create one with aws efs create-mount-target`,
    ),
    { code: mountRefusalCodes.noMountTarget },
  );
}

/** NFS is TCP 2049: the client's groups must let it out, and the mount target's let it in. */
function requireNfsAdmitted(store: EfsObjectReader, target: MountTargetObject, source: PacketSource, fail: (message: string) => string): void {
  const groupsOf = (ids: readonly string[]) => ids.flatMap((id) => [store.get({ kind: securityGroupKind, name: id }) as SecurityGroupObject | undefined].filter((group) => group !== undefined));
  const nfs = { protocol: "tcp", port: 2049 } as const;
  const quoted = (ids: readonly string[]) => ids.map((id) => `"${id}"`).join(", ");
  const destination = { ip: target.spec.ipAddress, securityGroupIds: target.spec.securityGroups };
  if (!releasingGroup(groupsOf(source.securityGroupIds), destination, nfs)) {
    throw unavailable(fail(`no outbound rule of the client's security groups ${quoted(source.securityGroupIds)} allows TCP port 2049 to mount target "${target.metadata.name}" (${target.spec.ipAddress})`), { code: mountRefusalCodes.nfsNotAdmitted });
  }
  if (admittingGroup(groupsOf(target.spec.securityGroups), source, nfs)) return;
  throw unavailable(
    fail(
      `mount target "${target.metadata.name}" (${target.spec.ipAddress}) does not admit TCP port 2049 from "${source.ip}": no inbound rule of its security groups ${quoted(target.spec.securityGroups)} allows it; add one with aws ec2 authorize-security-group-ingress --group-id ${target.spec.securityGroups[0] ?? ""} --protocol tcp --port 2049 --cidr <the pod's subnet or VPC CIDR>`,
    ),
    { code: mountRefusalCodes.nfsNotAdmitted },
  );
}

function joinPaths(root: string, subPath: string): string {
  const joined = `${root}/${subPath}`.replace(/\/+/g, "/");
  return joined.length > 1 ? joined.replace(/\/$/, "") : "/";
}
