// EFS mounted inside EC2 instances. An instance's mount helper (mount -t nfs|nfs4|efs, through
// the metadata service) asks; this checks what AWS checks, with the mount engine (the file
// system, a mount target the instance reaches in its zone, the security groups on TCP 2049,
// the file-system policy as an anonymous client or, with `iam`, as the role of the instance's
// IAM instance profile, and an access point's identity), mounts the
// file system on the host under `root/<instance-id>/` and puts that mount onto the directory
// inside the instance (PodIO.mountInto). umount(8) in the instance comes back here; a stopping
// or terminating instance has its mounts released by the instance controller.
//
// Mounts are served through FUSE even when nothing needs enforcing (`enforce`): the mount's
// type inside the instance is then Moor's (fuse.moor), whose umount helper the image carries.
//
// The table of mounts is kept in `root/mounts.json` (written whole, through a rename, at each
// change): the mounts outlive Moor (the instance's view and the FUSE connection both do), so a
// restarted Moor must still know them for umount(8) in the instance and a second mount on the
// same directory, and asks the mount engine for each again at start (`adopt`), which hands back
// the connection the FUSE engine adopted. A file that cannot be read is reported and treated as
// empty; release() still finds what lies under an instance's directory.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { PodIO } from "../../agent/mod.js";
import {
  type ClientMount,
  type ClientMountRefusal,
  type ClientMountType,
  clientMountFailure,
  clientMountTypes,
  isClientMountFailure,
  mountTargetKind,
  type MountTargetObject,
  parseClientMount,
} from "../../domain/efs/mod.js";
import { isMoorError } from "../../errors/mod.js";
import type { InstanceMountCall, InstanceMountReply } from "../../engines/metadata/mod.js";
import { type MountEngine, type MountRequest, mountRefusalCodes, unmountEverything } from "../../engines/mount/mod.js";
import { mountsAt, unmountBelow } from "../../engines/hostmounts/mod.js";
import { instanceKind, type InstanceObject } from "../../services/ec2/mod.js";
import { instanceProfileRoleArn } from "../../services/iam/mod.js";
import type { Store } from "../../store/mod.js";
import { instanceNamespace } from "./_pod.js";

export interface InstanceMountsOptions {
  store: Store;
  engine: Pick<MountEngine, "mount" | "unmount">;
  pods: () => Pick<PodIO, "mountInto" | "unmountFrom">;
  /** Host directory under which each instance's mounts live. */
  root: string;
  /** Whether a FUSE connection is still mounted at a host path (a mount from before a restart); mountinfo unless given. */
  isServed?: (hostPath: string) => Promise<boolean>;
  region: string;
}

interface InstanceMount {
  instanceId: string;
  directory: string;
  hostPath: string;
  /** What was asked of the mount engine, to ask again after a restart (`adopt`). */
  request: MountRequest;
}

const mountFailureStatus = 32;
const ok: InstanceMountReply = { exitCode: 0, stderr: "" };
const container = "instance";

/** Which words a client prints for the mount engine's refusal. */
function refusalOf(error: unknown): ClientMountRefusal {
  if (!isMoorError(error)) return "other";
  if (error.code === mountRefusalCodes.noMountTarget || error.code === mountRefusalCodes.fileSystemNotFound) return "unresolvable";
  if (error.code === mountRefusalCodes.nfsNotAdmitted) return "unreachable";
  if (error.category === "Forbidden") return "denied";
  if (error.category === "NotFound") return "missing-path";
  return "other";
}

export class InstanceMounts {
  readonly #options: InstanceMountsOptions;
  readonly #mounts = new Map<string, InstanceMount>();

  constructor(options: InstanceMountsOptions) {
    this.#options = options;
    for (const mount of this.#load()) this.#mounts.set(keyOf(mount.instanceId, mount.directory), mount);
  }

  get #file(): string {
    return join(this.#options.root, "mounts.json");
  }

  #load(): InstanceMount[] {
    let text: string;
    try {
      text = readFileSync(this.#file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") console.error(`moor: reading "${this.#file}" failed:`, error);
      return [];
    }
    try {
      const entries = JSON.parse(text) as unknown;
      if (!Array.isArray(entries)) throw new Error("not a list");
      return entries.filter((entry): entry is InstanceMount => typeof entry?.instanceId === "string" && typeof entry?.directory === "string" && typeof entry?.hostPath === "string" && entry.hostPath.startsWith(`${this.#options.root}/`) && typeof entry?.request?.target === "string");
    } catch (error) {
      console.error(`moor: "${this.#file}" is not a list of instance mounts; starting from none:`, error);
      return [];
    }
  }

  #save(): void {
    mkdirSync(this.#options.root, { recursive: true });
    const temporary = `${this.#file}.tmp`;
    writeFileSync(temporary, `${JSON.stringify([...this.#mounts.values()], null, 1)}\n`);
    renameSync(temporary, this.#file);
  }

  /**
   * Moor started: asks the mount engine again for each mount the table holds, as a pod asks again
   * for its volume, so the engine serves and can unmount the connection it adopted. A mount that
   * cannot be had again (its file system went, its check now refuses) is reported; umount and
   * release still take it off the host.
   */
  async adopt(): Promise<void> {
    for (const [key, mount] of [...this.#mounts]) {
      if (!(await (this.#options.isServed ?? servedByFuse)(mount.hostPath))) {
        // Gone while Moor was down (`moor down --all`, a restart of the machine): so is the instance's view of it.
        this.#mounts.delete(key);
        this.#save();
        await takeOff(mount.hostPath);
        continue;
      }
      await this.#options.engine.mount({ ...mount.request, mountPoint: mount.hostPath, owner: "pod" }).catch((error: unknown) => {
        console.error(`moor: the EFS mount at ${mount.directory} in instance ${mount.instanceId} cannot be taken back: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }

  handle(call: InstanceMountCall): Promise<InstanceMountReply> {
    return call.action === "mount" ? this.mount(call) : this.unmount(call.instanceId, call.directory);
  }

  async mount(call: InstanceMountCall): Promise<InstanceMountReply> {
    const { region, store } = this.#options;
    if (!clientMountTypes.includes(call.type as ClientMountType)) return { exitCode: mountFailureStatus, stderr: `mount: unknown filesystem type '${call.type}'` };
    const parsed = parseClientMount(call.type as ClientMountType, call.spec, call.options, region);
    if (isClientMountFailure(parsed)) return parsed;
    const instance = store.get({ kind: instanceKind, name: call.instanceId }) as InstanceObject | undefined;
    if (!instance?.status.privateIpAddress) return { exitCode: mountFailureStatus, stderr: `${parsed.program}: the instance "${call.instanceId}" has no address yet` };
    if (this.#mounts.has(keyOf(call.instanceId, call.directory))) return { exitCode: mountFailureStatus, stderr: `${parsed.program}: ${call.directory} is busy or already mounted` };
    const target = this.#target(parsed, instance);
    if ("refusal" in target) return clientMountFailure(parsed, region, target.refusal, target.reason);
    const hostPath = join(this.#options.root, call.instanceId, randomBytes(6).toString("hex"));
    const request: MountRequest = {
      target: `${target.fileSystemId}:${parsed.path}`,
      ...(parsed.accessPointId ? { accessPointId: parsed.accessPointId } : {}),
      zone: target.zone,
      tls: parsed.tls,
      iam: parsed.iam,
      ...(target.principalArn ? { principalArn: target.principalArn } : {}),
      readOnly: parsed.readOnly,
      source: { ip: instance.status.privateIpAddress, securityGroupIds: instance.spec.securityGroupIds },
      enforce: true,
    };
    try {
      await this.#options.engine.mount({ ...request, mountPoint: hostPath, owner: "pod" });
    } catch (error) {
      return clientMountFailure(parsed, region, refusalOf(error), error instanceof Error ? error.message : String(error));
    }
    return this.#place(parsed, { instanceId: call.instanceId, directory: call.directory, hostPath, request });
  }

  /** The file system, the zone whose mount target serves the client and the role an `iam` mount presents, or why there is none. */
  #target(parsed: ClientMount, instance: InstanceObject): { fileSystemId: string; zone: string; principalArn?: string } | { refusal: ClientMountRefusal; reason: string } {
    const profile = instance.spec.iamInstanceProfile?.arn;
    const principalArn = parsed.iam && profile ? instanceProfileRoleArn(this.#options.store, profile) : undefined;
    if (parsed.iam && !principalArn) {
      const reason = profile ? `the instance profile "${profile}" holds no role` : `the instance "${instance.metadata.name}" was launched without an IAM instance profile`;
      return { refusal: "no-credentials", reason };
    }
    const role = principalArn ? { principalArn } : {};
    if (parsed.fileSystemId) return { fileSystemId: parsed.fileSystemId, zone: parsed.zoneName ?? instance.spec.availabilityZone, ...role };
    const targets = this.#options.store.list(mountTargetKind).items as MountTargetObject[];
    const target = targets.find((candidate) => candidate.spec.ipAddress === parsed.mountTargetAddress && candidate.status.lifeCycleState === "available");
    if (!target) return { refusal: "unreachable", reason: `no mount target has the address "${parsed.mountTargetAddress}"` };
    return { fileSystemId: target.spec.fileSystemId, zone: target.spec.availabilityZoneName, ...role };
  }

  async #place(parsed: ClientMount, mount: InstanceMount): Promise<InstanceMountReply> {
    const pods = this.#options.pods();
    try {
      if (!pods.mountInto) throw new Error("this node agent cannot add mounts to running sandboxes");
      await pods.mountInto({ namespace: instanceNamespace, name: mount.instanceId }, container, mount.hostPath, mount.directory);
    } catch (error) {
      await this.#options.engine.unmount(mount.hostPath).catch(() => {});
      return { exitCode: mountFailureStatus, stderr: `${parsed.program}: mount point ${mount.directory} cannot be used: ${error instanceof Error ? error.message : String(error)}` };
    }
    this.#mounts.set(keyOf(mount.instanceId, mount.directory), mount);
    this.#save();
    return ok;
  }

  async unmount(instanceId: string, directory: string): Promise<InstanceMountReply> {
    const mount = this.#mounts.get(keyOf(instanceId, directory));
    if (!mount) return { exitCode: mountFailureStatus, stderr: `umount: ${directory}: not mounted.` };
    const pods = this.#options.pods();
    try {
      await pods.unmountFrom?.({ namespace: instanceNamespace, name: instanceId }, container, directory);
    } catch (error) {
      return { exitCode: mountFailureStatus, stderr: `umount: ${directory}: ${error instanceof Error ? error.message : String(error)}` };
    }
    this.#mounts.delete(keyOf(instanceId, directory));
    this.#save();
    await this.#unmountHost(mount.hostPath);
    return ok;
  }

  /**
   * The instance stopped or went: its host mounts go (its sandbox, and so its own view, is gone),
   * and so does anything left under its directory by an earlier Moor, which this one never knew.
   */
  async release(instanceId: string): Promise<void> {
    for (const [key, mount] of [...this.#mounts]) {
      if (mount.instanceId !== instanceId) continue;
      this.#mounts.delete(key);
      this.#save();
      await this.#unmountHost(mount.hostPath);
    }
    await unmountBelow(join(this.#options.root, instanceId));
  }

  /** Through the engine; what it does not hold (not taken back after a restart) is unmounted as it lies. */
  async #unmountHost(hostPath: string): Promise<void> {
    try {
      await this.#options.engine.unmount(hostPath);
    } catch (error) {
      if (!isMoorError(error) || error.category !== "NotFound") console.error(`moor: unmounting "${hostPath}" failed:`, error);
      await takeOff(hostPath);
    }
  }

  /** Mounts held for an instance (tests, and the controller's bookkeeping). */
  mountsOf(instanceId: string): string[] {
    return [...this.#mounts.values()].filter((mount) => mount.instanceId === instanceId).map((mount) => mount.directory);
  }
}

/** Everything mounted at a host path (the mount and its placeholder), as it lies; a failure is reported. */
function takeOff(hostPath: string): Promise<void> {
  return unmountEverything(hostPath).catch((error: unknown) => console.error(`moor: unmounting "${hostPath}" failed:`, error));
}

async function servedByFuse(hostPath: string): Promise<boolean> {
  return (await mountsAt(hostPath)).some((entry) => entry.fsType.startsWith("fuse"));
}

function keyOf(instanceId: string, directory: string): string {
  return `${instanceId}\0${directory}`;
}
