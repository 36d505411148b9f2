import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chooseProfile, fargateProblems, fargateRefusal, type NamedProfile, profileProblem, wildcardMatches } from "./mod.js";

function profile(name: string, selectors: NamedProfile["spec"]["selectors"], status = "ACTIVE"): NamedProfile {
  return { name, status, spec: { clusterName: "moor", podExecutionRoleArn: "arn:aws:iam::000000000000:role/pods", subnets: [], selectors } };
}

describe("wildcardMatches()", () => {
  it("treats * as any run and ? as exactly one character", () => {
    assert.ok(wildcardMatches("prod-*", "prod-web"));
    assert.ok(wildcardMatches("prod-*", "prod-"));
    assert.ok(wildcardMatches("a?c", "abc"));
    assert.ok(!wildcardMatches("a?c", "ac"));
    assert.ok(wildcardMatches("*", ""));
    assert.ok(!wildcardMatches("web", "web2"));
    assert.ok(wildcardMatches("*-db-*", "my-db-1"));
    assert.ok(!wildcardMatches("a.c", "abc"), "dots are literal, not regular expressions");
  });
});

describe("chooseProfile()", () => {
  const profiles = [
    profile("zeta", [{ namespace: "apps" }]),
    profile("alpha", [{ namespace: "apps", labels: { app: "service" } }]),
    profile("wild", [{ namespace: "team-*", labels: { "tier?": "f*" } }]),
    profile("dying", [{ namespace: "apps" }], "DELETING"),
  ];

  it("picks the first matching profile by name", () => {
    assert.equal(chooseProfile(profiles, { namespace: "apps", labels: { app: "service" } })?.name, "alpha");
    assert.equal(chooseProfile(profiles, { namespace: "apps", labels: { app: "database" } })?.name, "zeta");
  });

  it("needs every selector label on the pod, with wildcards in keys and values", () => {
    assert.equal(chooseProfile(profiles, { namespace: "team-a", labels: { tier1: "front" } })?.name, "wild");
    assert.equal(chooseProfile(profiles, { namespace: "team-a", labels: { tier: "front" } }), undefined);
  });

  it("honours a pinned profile only when that profile matches", () => {
    assert.equal(chooseProfile(profiles, { namespace: "apps", labels: { app: "service", "eks.amazonaws.com/fargate-profile": "zeta" } })?.name, "zeta");
    assert.equal(chooseProfile(profiles, { namespace: "other", labels: { "eks.amazonaws.com/fargate-profile": "zeta" } }), undefined);
  });

  it("ignores profiles that are not ACTIVE", () => {
    assert.equal(chooseProfile([profiles[3]!], { namespace: "apps", labels: {} }), undefined);
  });
});

describe("profileProblem()", () => {
  it("refuses more than five selectors and unknown subnets", () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ namespace: `ns${i}` }));
    assert.match(profileProblem("p", profile("p", many).spec, []) ?? "", /at most 5 selectors; got 6/);
    const spec = { ...profile("p", [{ namespace: "a" }]).spec, subnets: ["subnet-1"] };
    assert.match(profileProblem("p", spec, ["subnet-2"]) ?? "", /Subnet subnet-1 provided in Fargate Profile/);
    assert.equal(profileProblem("p", { ...spec, subnets: ["subnet-2"] }, ["subnet-2"]), undefined);
  });
});

describe("fargateProblems()", () => {
  const noClaims = () => ({ found: false as const });

  it("names every forbidden feature in the fargate-scheduler's words", () => {
    const reasons = fargateProblems(
      {
        spec: {
          hostNetwork: true,
          containers: [{ name: "c", securityContext: { privileged: true }, ports: [{ hostPort: 80 }] }],
          volumes: [{ name: "host", hostPath: { path: "/" } }],
        },
      },
      noClaims,
    );
    assert.equal(
      fargateRefusal(reasons),
      "Pod not supported on Fargate: fields not supported: HostNetwork, invalid SecurityContext fields: Privileged, port contains HostIP or HostPort, volumes not supported: host is of an unsupported volume Type",
    );
  });

  it("accepts EFS claims and refuses claims bound to other drivers", () => {
    const claims = (name: string) =>
      name === "efs"
        ? { found: true as const, volumeName: "pv-efs", csiDriver: "efs.csi.aws.com", pvFound: true }
        : { found: true as const, volumeName: "pv-ebs", csiDriver: "ebs.csi.aws.com", pvFound: true };
    const pod = (claimName: string) => ({ spec: { containers: [{ name: "c" }], volumes: [{ name: "data", persistentVolumeClaim: { claimName } }] } });
    assert.deepEqual(fargateProblems(pod("efs"), claims), []);
    assert.deepEqual(fargateProblems(pod("ebs"), claims), [
      "volumes not supported: data not supported because: PVC ebs bound to invalid PV pv-ebs with CSI Driver: ebs.csi.aws.com",
    ]);
  });

  it("refuses DaemonSet pods", () => {
    assert.deepEqual(fargateProblems({ ownerReferences: [{ kind: "DaemonSet" }], spec: { containers: [{ name: "c" }] } }, noClaims), ["fields not supported: DaemonSet"]);
  });
});
