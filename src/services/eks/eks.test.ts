// The EKS service's Fargate-profile and node-group rules for the default cluster (what
// `moor profile`, `moor nodegroup` and kubectl call) over the in-memory store, with a fixed clock
// and fixed ids.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { embeddedVpc } from "../../domain/network/mod.js";
import { profilesPerClusterMax } from "../../domain/scheduling/mod.js";
import { isMoorError, type MoorError } from "../../errors/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import { createEksService, type EksService, nodeGroupNodesMax } from "./mod.js";

const region = "us-east-1";
let store: Store;
let eks: EksService;

beforeEach(() => {
  store = createMemoryStore();
  eks = createEksService({ store, region, accountId: "123456789012", now: () => new Date("2026-01-02T03:04:05Z"), randomUuid: () => "uuid-1" });
});

function refusal(call: () => unknown): MoorError {
  try {
    call();
  } catch (error) {
    if (isMoorError(error)) return error;
    throw error;
  }
  return assert.fail("expected a refusal");
}

describe("the EKS service's Fargate profiles", () => {
  it("createFargateProfile() fills the defaults and makes the profile ACTIVE", () => {
    const profile = eks.createFargateProfile({ name: "web", selectors: [{ namespace: "team" }] });
    assert.deepEqual(profile.spec.subnets, embeddedVpc(region).subnets.map((subnet) => subnet.subnetId));
    assert.equal(profile.spec.podExecutionRoleArn, "arn:aws:iam::123456789012:role/moor-fargate-pod-execution");
    assert.deepEqual(profile.status, { status: "ACTIVE", fargateProfileArn: "arn:aws:eks:us-east-1:123456789012:fargateprofile/moor/web/uuid-1", createdAt: "2026-01-02T03:04:05.000Z" });
  });

  it("createFargateProfile() refuses a duplicate, bad selectors, and more than the cluster's maximum", () => {
    eks.createFargateProfile({ name: "web", selectors: [{ namespace: "team" }] });
    const duplicate = refusal(() => eks.createFargateProfile({ name: "web", selectors: [{ namespace: "team" }] }));
    assert.deepEqual([duplicate.category, duplicate.message], ["AlreadyExists", 'Cannot create Fargate profile "web": it already exists']);
    const empty = refusal(() => eks.createFargateProfile({ name: "empty", selectors: [] }));
    assert.equal(empty.category, "Invalid");
    assert.match(empty.message, /^Cannot create Fargate profile "empty": .*at least one selector is required/);
    for (let index = 1; index < profilesPerClusterMax; index++) eks.createFargateProfile({ name: `p${index}`, selectors: [{ namespace: `n${index}` }] });
    assert.equal(refusal(() => eks.createFargateProfile({ name: "extra", selectors: [{ namespace: "x" }] })).category, "LimitExceeded");
  });

  it("deleteFargateProfile() marks it DELETING, one at a time; a missing one is NotFound", () => {
    eks.createFargateProfile({ name: "a", selectors: [{ namespace: "a" }] });
    eks.createFargateProfile({ name: "b", selectors: [{ namespace: "b" }] });
    assert.equal(eks.deleteFargateProfile("a").status.status, "DELETING");
    const second = refusal(() => eks.deleteFargateProfile("b"));
    assert.deepEqual([second.category, second.code, second.message], ["Conflict", "ResourceInUseException", "Cannot delete Fargate Profile b because cluster moor currently has Fargate profile a in status DELETING"]);
    const created = refusal(() => eks.createFargateProfile({ name: "c", selectors: [{ namespace: "c" }] }));
    assert.deepEqual([created.code, created.message], ["ResourceInUseException", "Cannot create Fargate Profile c because cluster moor currently has Fargate profile a in status DELETING"]);
    assert.equal(refusal(() => eks.deleteFargateProfile("missing")).category, "NotFound");
    assert.equal(refusal(() => eks.describeFargateProfile("missing")).category, "NotFound");
  });

  it("ensureDefaultCluster() makes the cluster and profile fp-default once, and not the profile again after the user deleted it", () => {
    eks.ensureDefaultCluster({ profile: true });
    assert.deepEqual(eks.clusterNames(), ["moor"]);
    assert.deepEqual(eks.listFargateProfiles().map((profile) => [profile.metadata.name, profile.spec.selectors]), [["fp-default", [{ namespace: "default" }, { namespace: "kube-system" }]]]);
    store.delete({ kind: "FargateProfile", name: "fp-default" });
    eks.ensureDefaultCluster({ profile: true });
    assert.deepEqual(eks.listFargateProfiles(), []);
    assert.deepEqual(eks.clusterNames(), ["moor"]);
  });

  it("ensureDefaultCluster() without the profile makes only the cluster", () => {
    eks.ensureDefaultCluster({ profile: false });
    assert.deepEqual([eks.clusterNames(), eks.listFargateProfiles()], [["moor"], []]);
  });
});

describe("the EKS service's node groups", () => {
  it("createNodeGroup() places the group in the named zone's subnet and refuses a duplicate", () => {
    const group = eks.createNodeGroup({ name: "workers", zone: "us-east-1b", nodes: 2 });
    const subnetId = embeddedVpc(region).subnets[1]!.subnetId;
    assert.deepEqual([group.spec.zone, group.spec.subnetId, group.spec.nodes, group.spec.subnets], ["us-east-1b", subnetId, 2, [subnetId]]);
    assert.equal(refusal(() => eks.createNodeGroup({ name: "workers" })).category, "AlreadyExists");
  });

  it("createNodeGroup() refuses a name that is no DNS label, an unknown zone and too many nodes", () => {
    assert.match(refusal(() => eks.createNodeGroup({ name: "Bad_Name" })).message, /the name must be a DNS label/);
    assert.match(refusal(() => eks.createNodeGroup({ name: "g", zone: "mars-1a" })).message, /zone "mars-1a" is not one of/);
    assert.match(refusal(() => eks.createNodeGroup({ name: "g", nodes: nodeGroupNodesMax + 1 })).message, /nodes must be a whole number from 0 to 20/);
    assert.deepEqual(eks.listNodeGroups(), []);
  });

  it("deleteNodeGroup() removes it; a missing one is NotFound", () => {
    eks.createNodeGroup({ name: "g" });
    eks.deleteNodeGroup("g");
    assert.deepEqual([refusal(() => eks.deleteNodeGroup("g")).code, refusal(() => eks.deleteNodeGroup("g")).message], ["ResourceNotFoundException", "No node group found for name: g."]);
  });
});
