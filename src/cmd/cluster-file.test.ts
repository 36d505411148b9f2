// Reading eksctl ClusterConfig files: the guide's file becomes the EKS requests it means, and
// what Moor does not act on is refused by its path.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { isMoorError } from "../errors/mod.js";
import { readClusterFile } from "./_cluster-file.js";

const guide = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: terrax-fargate, region: eu-west-1, version: "1.15"}
nodeGroups:
  - {name: node-group, instanceType: t2.medium, desiredCapacity: 1}
fargateProfiles:
  - name: fp-default
    selectors: [{namespace: default}, {namespace: kube-system}]
  - name: fp-demo-service
    selectors: [{namespace: tb-demo, labels: {app: service}}]
`;

function refusalOf(text: string): string {
  try {
    readClusterFile(parse(text));
  } catch (error) {
    if (isMoorError(error)) return error.message;
    throw error;
  }
  return assert.fail("expected the file to be refused");
}

describe("readClusterFile()", () => {
  it("reads the guide's file into a cluster, two profiles and a node group of one t2.medium", () => {
    const file = readClusterFile(parse(guide));
    assert.deepEqual([file.name, file.region, file.version, file.subnets], ["terrax-fargate", "eu-west-1", "1.15", []]);
    assert.deepEqual(file.fargateProfiles.map((profile) => profile.request), [
      { fargateProfileName: "fp-default", selectors: [{ namespace: "default" }, { namespace: "kube-system" }] },
      { fargateProfileName: "fp-demo-service", selectors: [{ namespace: "tb-demo", labels: { app: "service" } }] },
    ]);
    assert.deepEqual(file.nodeGroups.map((group) => group.request), [{ nodegroupName: "node-group", scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 1 }, instanceTypes: ["t2.medium"] }]);
  });

  it("reads managed node groups and the VPC's subnets by zone", () => {
    const file = readClusterFile(parse(`apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: c}
vpc: {subnets: {private: {us-east-1a: {id: subnet-1}, us-east-1b: {id: subnet-2}}}}
managedNodeGroups: [{name: m, instanceTypes: [m5.large], minSize: 0, maxSize: 4}]
`));
    assert.deepEqual(file.subnets, ["subnet-1", "subnet-2"]);
    assert.deepEqual(file.nodeGroups[0]!.request, { nodegroupName: "m", scalingConfig: { desiredSize: 2, minSize: 0, maxSize: 4 }, instanceTypes: ["m5.large"] });
  });

  it("refuses another apiVersion or kind, and an unknown field by its path", () => {
    assert.match(refusalOf(guide.replace("eksctl.io/v1alpha5", "eksctl.io/v1alpha4")), /apiVersion "eksctl.io\/v1alpha4" is not "eksctl.io\/v1alpha5"/);
    assert.match(refusalOf(guide.replace("ClusterConfig", "Cluster")), /kind "Cluster" is not "ClusterConfig"/);
    assert.match(refusalOf(`${guide}iam: {withOIDC: true}\n`), /field "iam" is not supported by Moor/);
    assert.match(refusalOf(guide.replace("{namespace: tb-demo,", "{namespace: tb-demo, other: 1,")), /field "fargateProfiles\[1\]\.selectors\[0\]\.other" is not supported/);
    assert.match(refusalOf(guide.replace("metadata: {name: terrax-fargate,", "metadata: {")), /metadata\.name is required/);
  });
});
