// What an EC2 instance's mount(8) hands a mount helper (`/sbin/mount.<type> spec dir -o opts`)
// for the types EFS is mounted with: nfs and nfs4 (the guide's line, nfs-utils' mount.nfs) and
// efs (efs-utils' mount.efs, with tls, iam and accesspoint). Parsed into what the mount engine
// takes, and every refusal worded as the helper that would have printed it, with its exit status.

import { accessPointIdPattern, fileSystemDnsName, fileSystemIdPattern } from "./_ids.js";

export type ClientMountType = "nfs" | "nfs4" | "efs";
export const clientMountTypes: readonly ClientMountType[] = ["nfs", "nfs4", "efs"];

export interface ClientMount {
  type: ClientMountType;
  /** The helper's name, as its messages start: "mount.nfs4". */
  program: string;
  /** The server part of the spec, as given: a DNS name, an address, or (efs) a file system id. */
  server: string;
  fileSystemId?: string;
  /** A mount target's address given instead of a name. */
  mountTargetAddress?: string;
  /** The zone of a zonal DNS name ("us-east-1a.fs-….efs…"): only its mount target answers. */
  zoneName?: string;
  /** The directory of the file system to mount ("/" for the root). */
  path: string;
  tls: boolean;
  iam: boolean;
  readOnly: boolean;
  accessPointId?: string;
}

export interface ClientMountFailure {
  stderr: string;
  exitCode: number;
}

/** Why the mount engine refused, in the words a client can tell apart. */
export type ClientMountRefusal = "unresolvable" | "unreachable" | "denied" | "missing-path" | "no-credentials" | "other";

/** mount(8)'s "mount failure" status, which mount.nfs exits with; efs-utils exits 1 for its own refusals. */
const mountFailure = 32;
const nfsOptionsIgnored = /^(nfsvers|vers|rsize|wsize|hard|soft|timeo|retrans|noresvport|resvport|_netdev|noatime|relatime|atime|defaults|nofail|auto|noauto|intr|proto|port|minorversion|actimeo|sec|nosuid|nodev|noexec|exec|suid|dev|async|sync|user|nouser|x-[^=]*|fsc|lookupcache|nosharecache|sharecache)$/;
const efsOptionsIgnored = /^(tlsport|stunnelport|verify|ocsp|noocsp|awsprofile|awscredsuri|mounttargetip|az|netns|crossaccount|notls|fsap|region|iam_role_name)$/;
const dnsNamePattern = /^(?:([a-z]{2}(?:-[a-z]+)+-\d[a-z])\.)?(fs-[0-9a-f]{8,40})\.efs\.([a-z0-9-]+)\.amazonaws\.com$/;
const addressPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function fail(stderr: string, exitCode = mountFailure): ClientMountFailure {
  return { stderr, exitCode };
}

/** The helper's own reading of `spec` and `-o` options; `region` is the instance's. */
export function parseClientMount(type: ClientMountType, spec: string, options: string, region: string): ClientMount | ClientMountFailure {
  const program = `mount.${type}`;
  const colon = spec.indexOf(":");
  if (type !== "efs" && colon <= 0) return fail(`${program}: remote share not in 'host:dir' format`);
  const server = colon < 0 ? spec : spec.slice(0, colon);
  const path = (colon < 0 ? "/" : spec.slice(colon + 1)) || "/";
  if (!path.startsWith("/")) return fail(type === "efs" ? `Invalid path "${path}": it must start with "/"` : `${program}: remote share not in 'host:dir' format`, type === "efs" ? 1 : mountFailure);
  const mount: ClientMount = { type, program, server, path, tls: false, iam: false, readOnly: false };
  const named = dnsNamePattern.exec(server);
  if (named && named[3] === region) {
    mount.fileSystemId = named[2]!;
    if (named[1]) mount.zoneName = named[1];
  } else if (type === "efs" && fileSystemIdPattern.test(server)) mount.fileSystemId = server;
  else if (addressPattern.test(server) && server.split(".").every((part) => Number(part) <= 255)) mount.mountTargetAddress = server;
  else if (type === "efs") return fail(`Failed to resolve "${server}" - check that the specified DNS name is a CNAME record resolvable by this instance.`, 1);
  else return fail(`${program}: Failed to resolve server ${server}: Name or service not known`);
  for (const option of options.split(",").map((text) => text.trim()).filter((text) => text !== "")) {
    const [name = "", value] = option.split("=", 2);
    if (name === "ro") mount.readOnly = true;
    else if (name === "rw") mount.readOnly = false;
    else if (type === "efs" && name === "tls") mount.tls = true;
    else if (type === "efs" && name === "iam") mount.iam = true;
    else if (type === "efs" && name === "accesspoint") {
      if (!value || !accessPointIdPattern.test(value)) return fail(`Access Point ID ${value ?? ""} is malformed`, 1);
      mount.accessPointId = value;
    } else if (!nfsOptionsIgnored.test(name) && !(type === "efs" && efsOptionsIgnored.test(name))) {
      return fail(type === "efs" ? `mount.nfs4: an incorrect mount option was specified: "${option}"` : `${program}: an incorrect mount option was specified`);
    }
  }
  if (type === "efs" && mount.iam && !mount.tls) return fail(`The "iam" option requires the "tls" option.`, 1);
  if (type === "efs" && mount.accessPointId && !mount.tls) return fail(`The "tls" option is required when mounting via "accesspoint"`, 1);
  return mount;
}

export function isClientMountFailure(parsed: ClientMount | ClientMountFailure): parsed is ClientMountFailure {
  return "stderr" in parsed;
}

/** The name the client resolved (efs-utils builds it from the id and the region). */
export function clientDnsName(mount: ClientMount, region: string): string {
  return mount.fileSystemId && mount.type === "efs" ? fileSystemDnsName(region, mount.fileSystemId) : mount.server;
}

/** A refusal as the helper prints it; Moor's reason follows on a line of its own. */
export function clientMountFailure(mount: ClientMount, region: string, refusal: ClientMountRefusal, reason: string): ClientMountFailure {
  const because = reason ? `\nmoor: ${reason}` : "";
  const shown = `${clientDnsName(mount, region)}:${mount.path}`;
  const nfs = mount.type === "efs" ? "mount.nfs4" : mount.program;
  if (refusal === "unresolvable") {
    if (mount.type !== "efs") return fail(`${nfs}: Failed to resolve server ${mount.server}: Name or service not known${because}`);
    const name = clientDnsName(mount, region);
    return fail(`Failed to resolve "${name}" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID.\nSee https://docs.aws.amazon.com/console/efs/mount-dns-name for more detail.${because}`, 1);
  }
  if (refusal === "no-credentials") {
    const where = "AWS credentials file (/root/.aws/credentials), config file (/root/.aws/config), from ECS credentials relative uri, or from the instance security credentials service";
    return fail(`AWS Access Key ID and Secret Access Key are not found in ${where}${because}`, 1);
  }
  if (refusal === "unreachable") return fail(`${nfs}: Connection timed out${because}`);
  if (refusal === "denied") return fail(`${nfs}: access denied by server while mounting ${shown}${because}`);
  if (refusal === "missing-path") return fail(`${nfs}: mounting ${shown} failed, reason given by server: No such file or directory${because}`);
  return fail(`${nfs}: mounting ${shown} failed: ${reason}`);
}
