// Writes of the kinds an AWS service owns go through that service from the kube API, and its
// refusals become Kubernetes Status errors: the EFS/EKS message whole, upstream's reason and code
// for the category, the AWS code as the cause.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../config/mod.js";
import { fileSystemKind } from "../../domain/efs/mod.js";
import { resourceForKind } from "../../domain/kube/mod.js";
import { embeddedVpc } from "../../domain/network/mod.js";
import { createEfsService, type EfsService } from "../../services/efs/mod.js";
import { createEksService } from "../../services/eks/mod.js";
import { createMemoryStore } from "../../store/mod.js";
import type { ApiContext } from "./_context.js";
import { createThroughService, deleteThroughService, ownedByService } from "./_services.js";
import { HttpError } from "./_status.js";

const store = createMemoryStore();
const config = loadConfig({ MOOR_HOME: "/nonexistent-moor-home" });
let efs: EfsService;
let api: ApiContext;

before(async () => {
  efs = createEfsService({ store, region: config.region, accountId: config.accountId });
  await efs.start();
  const eks = createEksService({ store, region: config.region, accountId: config.accountId, randomUuid: () => "uuid" });
  api = { store, config, efs, eks, now: () => new Date(0), random: () => 0, podIO: () => undefined };
});
after(async () => {
  await efs.stop();
});

function httpError(call: () => unknown): HttpError {
  try {
    call();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  return assert.fail("expected an HttpError");
}

describe("the kube API's writes of service-owned kinds", () => {
  const fileSystems = resourceForKind(fileSystemKind)!;
  const profiles = resourceForKind("FargateProfile")!;

  it("ownedByService() names the EFS kinds and FargateProfile, and nothing else", () => {
    assert.deepEqual(["FileSystem", "AccessPoint", "MountTarget", "FargateProfile", "Pod"].map((kind) => ownedByService(resourceForKind(kind)!)), [true, true, true, true, false]);
  });

  it("deleting a file system with a mount target is 409 Conflict with EFS's FileSystemInUse message and cause", () => {
    const { FileSystemId } = efs.createFileSystem({ CreationToken: "busy" });
    const object = store.get({ kind: fileSystemKind, name: FileSystemId })!;
    store.update({ ...object, status: { ...object.status, lifeCycleState: "available" } });
    const { MountTargetId } = efs.createMountTarget({ FileSystemId, SubnetId: embeddedVpc(config.region).subnets[0]!.subnetId });
    const refused = httpError(() => deleteThroughService(api, fileSystems, store.get({ kind: fileSystemKind, name: FileSystemId })!));
    const message = `Cannot delete file system: file system "${FileSystemId}" has 1 mount target(s) ("${MountTargetId}"); delete them first`;
    assert.deepEqual([refused.code, refused.reason, refused.message], [409, "Conflict", message]);
    assert.deepEqual(refused.details, { name: FileSystemId, group: "efs.moor.dev", kind: "filesystems", causes: [{ reason: "FileSystemInUse", message }] });
    assert.equal(store.get({ kind: fileSystemKind, name: FileSystemId })!.status.lifeCycleState, "available");
  });

  it("deleting a file system without mount targets answers it as EFS left it: deleting", () => {
    const { FileSystemId } = efs.createFileSystem({ CreationToken: "idle" });
    const answer = deleteThroughService(api, fileSystems, store.get({ kind: fileSystemKind, name: FileSystemId })!);
    assert.equal(answer.status.lifeCycleState, "deleting");
  });

  it("a Fargate profile's duplicate is 409 AlreadyExists and its invalid input 400 BadRequest, with the EKS message", () => {
    const profile = (subnets?: string[]) => ({ apiVersion: "eks.moor.dev/v1", kind: "FargateProfile", metadata: { name: "web" }, spec: { selectors: [{ namespace: "team" }], ...(subnets ? { subnets } : {}) } });
    const invalid = httpError(() => createThroughService(api, profiles, profile(["subnet-0bad"])));
    assert.deepEqual([invalid.code, invalid.reason], [400, "BadRequest"]);
    assert.match(invalid.message, /^Cannot create Fargate profile "web": Subnet subnet-0bad provided in Fargate Profile/);
    assert.equal(createThroughService(api, profiles, profile()).status.status, "ACTIVE");
    const duplicate = httpError(() => createThroughService(api, profiles, profile()));
    assert.deepEqual([duplicate.code, duplicate.reason, duplicate.message], [409, "AlreadyExists", 'Cannot create Fargate profile "web": it already exists']);
  });
});
