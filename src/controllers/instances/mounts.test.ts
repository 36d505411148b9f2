// InstanceMounts with a recording mount engine and PodIO: a mount asked from an instance is
// mounted on the host as the instance (its zone, address, groups; FUSE forced) and put into its
// sandbox; the engine's refusals come back in the helpers' words; umount and release undo it;
// a new InstanceMounts on the same directory (a restarted Moor) still knows the mounts.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { invalid, MoorError, unavailable } from "../../errors/mod.js";
import type { InstanceMountCall } from "../../engines/metadata/mod.js";
import { type MountRequest, mountRefusalCodes } from "../../engines/mount/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import { InstanceMounts } from "./mod.js";

const id = "i-0123456789abcdef0";
const fs = "fs-0123456789abcdef0";
let store: Store;
let mounted: (MountRequest & { mountPoint: string })[];
let unmounted: string[];
let placed: string[];
let refusal: MoorError | undefined;
let mounts: InstanceMounts;
let root: string;
let options: ConstructorParameters<typeof InstanceMounts>[0];
/** Whether the host still shows a FUSE mount at a mount's host path (after a restart). */
let served: boolean;

const call = (spec: string, options = "", type = "nfs4"): InstanceMountCall => ({ action: "mount", instanceId: id, type, spec, directory: "/mnt/efs", options });

beforeEach(() => {
  store = createMemoryStore();
  store.create({ apiVersion: "ec2.moor.dev/v1", kind: "Instance", metadata: { name: id }, spec: { availabilityZone: "us-east-1b", securityGroupIds: ["sg-1"], subnetId: "subnet-2" }, status: { state: "running", privateIpAddress: "10.42.16.7" } });
  mounted = [];
  unmounted = [];
  placed = [];
  refusal = undefined;
  served = true;
  root = join(mkdtempSync(join(tmpdir(), "moor-instance-mounts-")), "instances");
  options = {
    store,
    engine: {
      mount: async (request) => {
        if (refusal) throw refusal;
        mounted.push(request);
        return {} as never;
      },
      unmount: async (mountPoint) => void unmounted.push(mountPoint),
    },
    pods: () => ({
      mountInto: async (pod, _container, hostPath, path) => void placed.push(`${pod.namespace}/${pod.name} ${hostPath} ${path}`),
      unmountFrom: async (pod, _container, path) => void placed.push(`-${pod.name} ${path}`),
    }),
    root,
    region: "us-east-1",
    isServed: async () => served,
  };
  mounts = new InstanceMounts(options);
});
afterEach(() => rmSync(join(root, ".."), { recursive: true, force: true }));

describe("InstanceMounts", () => {
  it("mounts as the instance, through FUSE, under the instance's host directory, and puts the mount into its sandbox", async () => {
    assert.deepEqual(await mounts.handle(call(`${fs}.efs.us-east-1.amazonaws.com:/`, "nfsvers=4.1,hard")), { exitCode: 0, stderr: "" });
    const [request] = mounted;
    assert.deepEqual({ ...request, mountPoint: undefined }, { target: `${fs}:/`, zone: "us-east-1b", tls: false, iam: false, readOnly: false, source: { ip: "10.42.16.7", securityGroupIds: ["sg-1"] }, enforce: true, mountPoint: undefined, owner: "pod" });
    assert.ok(request!.mountPoint.startsWith(`${root}/${id}/`) && /\/[0-9a-f]{12}$/.test(request!.mountPoint), request!.mountPoint);
    assert.deepEqual(placed, [`aws-ec2/${id} ${request!.mountPoint} /mnt/efs`]);
    assert.deepEqual(mounts.mountsOf(id), ["/mnt/efs"]);
    assert.equal((await mounts.handle(call(`${fs}.efs.us-east-1.amazonaws.com:/`))).stderr, "mount.nfs4: /mnt/efs is busy or already mounted");
  });

  it("words the engine's refusals as the helpers do, with Moor's reason after", async () => {
    refusal = unavailable("no mount target", { code: mountRefusalCodes.noMountTarget });
    assert.equal((await mounts.handle(call(`${fs}.efs.us-east-1.amazonaws.com:/`))).stderr, `mount.nfs4: Failed to resolve server ${fs}.efs.us-east-1.amazonaws.com: Name or service not known\nmoor: no mount target`);
    refusal = unavailable("port 2049", { code: mountRefusalCodes.nfsNotAdmitted });
    assert.deepEqual(await mounts.handle(call(`${fs}:/`, "tls", "efs")), { exitCode: 32, stderr: "mount.nfs4: Connection timed out\nmoor: port 2049" });
    refusal = new MoorError("Forbidden", "policy");
    assert.equal((await mounts.handle(call(`${fs}.efs.us-east-1.amazonaws.com:/`))).stderr, `mount.nfs4: access denied by server while mounting ${fs}.efs.us-east-1.amazonaws.com:/\nmoor: policy`);
    refusal = invalid("odd");
    assert.equal((await mounts.handle(call(`${fs}.efs.us-east-1.amazonaws.com:/`))).stderr, `mount.nfs4: mounting ${fs}.efs.us-east-1.amazonaws.com:/ failed: odd`);
    assert.equal((await mounts.handle(call(`${fs}:/`, "tls,iam", "efs"))).exitCode, 1, "iam without an instance profile");
    assert.equal((await mounts.handle(call("/dev/sdb", "", "ext4"))).stderr, "mount: unknown filesystem type 'ext4'");
    assert.deepEqual(placed, []);
  });

  it("umount takes the mount out of the sandbox and off the host; release takes the rest off", async () => {
    await mounts.handle(call(`${fs}.efs.us-east-1.amazonaws.com:/`));
    await mounts.handle({ ...call(`${fs}.efs.us-east-1.amazonaws.com:/`), directory: "/mnt/other" });
    assert.deepEqual(await mounts.handle({ action: "unmount", instanceId: id, type: "fuse.moor", spec: "", directory: "/mnt/efs", options: "" }), { exitCode: 0, stderr: "" });
    assert.equal(placed.at(-1), `-${id} /mnt/efs`);
    assert.equal(unmounted.length, 1);
    assert.equal((await mounts.unmount(id, "/mnt/efs")).stderr, "umount: /mnt/efs: not mounted.");
    await mounts.release(id);
    assert.equal(unmounted.length, 2);
    assert.deepEqual(mounts.mountsOf(id), []);
  });

  it("a restarted Moor (a new InstanceMounts on the same directory) knows the mounts: umount works, a second mount is refused", async () => {
    await mounts.handle(call(`${fs}.efs.us-east-1.amazonaws.com:/`));
    const hostPath = mounted[0]!.mountPoint;
    const again = new InstanceMounts(options);
    assert.deepEqual(again.mountsOf(id), ["/mnt/efs"]);
    await again.adopt();
    assert.deepEqual(mounted[1], mounted[0], "asked of the engine again as first asked, at the same host path");
    assert.equal((await again.handle(call(`${fs}.efs.us-east-1.amazonaws.com:/`))).stderr, "mount.nfs4: /mnt/efs is busy or already mounted");
    assert.deepEqual(await again.unmount(id, "/mnt/efs"), { exitCode: 0, stderr: "" });
    assert.deepEqual(unmounted, [hostPath]);
    assert.deepEqual(JSON.parse(readFileSync(join(root, "mounts.json"), "utf8")), []);
    assert.deepEqual(new InstanceMounts(options).mountsOf(id), []);
  });

  it("a mount that went while Moor was down (moor down --all) leaves the table at start instead of being asked for again", async () => {
    await mounts.handle(call(`${fs}.efs.us-east-1.amazonaws.com:/`));
    served = false;
    const again = new InstanceMounts(options);
    await again.adopt();
    assert.equal(mounted.length, 1, "not asked of the engine again");
    assert.deepEqual(again.mountsOf(id), []);
    assert.deepEqual(new InstanceMounts(options).mountsOf(id), []);
    assert.deepEqual((await again.handle(call(`${fs}.efs.us-east-1.amazonaws.com:/`))).exitCode, 0, "the directory can be mounted again");
  });

  it("a table that cannot be read, or names a path outside its directory, counts as no mounts", () => {
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "mounts.json"), "{not json");
    assert.deepEqual(new InstanceMounts(options).mountsOf(id), []);
    writeFileSync(join(root, "mounts.json"), JSON.stringify([{ instanceId: id, directory: "/mnt/efs", hostPath: "/etc", request: { target: `${fs}:/` } }]));
    assert.deepEqual(new InstanceMounts(options).mountsOf(id), []);
  });
});
