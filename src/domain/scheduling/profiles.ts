// Fargate profiles decide which pods run serverless: a pod matches a selector when its namespace
// matches the selector's namespace and it carries every one of the selector's labels (patterns
// with `*` and `?` allowed in namespace, keys and values). When several profiles match, the first
// by name wins, unless the pod pins one with the `eks.amazonaws.com/fargate-profile` label.

import { wildcardMatches } from "./_wildcard.js";

export const profileLabel = "eks.amazonaws.com/fargate-profile";
export const computeTypeLabel = "eks.amazonaws.com/compute-type";
export const fargateSchedulerName = "fargate-scheduler";
export const selectorsMax = 5;
export const labelsPerSelectorMax = 5;
export const profilesPerClusterMax = 10;

export interface ProfileSelector {
  namespace: string;
  labels?: Record<string, string>;
}

export interface FargateProfileSpec {
  clusterName: string;
  podExecutionRoleArn: string;
  subnets: string[];
  selectors: ProfileSelector[];
  tags?: Record<string, string>;
}

export interface NamedProfile {
  name: string;
  spec: FargateProfileSpec;
  /** Only ACTIVE profiles select pods. */
  status: string;
}

export interface PodIdentity {
  namespace: string;
  labels: Record<string, string>;
}

export function selectorMatches(selector: ProfileSelector, pod: PodIdentity): boolean {
  if (!wildcardMatches(selector.namespace, pod.namespace)) return false;
  return Object.entries(selector.labels ?? {}).every(([keyPattern, valuePattern]) =>
    Object.entries(pod.labels).some(([key, value]) => wildcardMatches(keyPattern, key) && wildcardMatches(valuePattern, value)),
  );
}

export function profileMatches(profile: NamedProfile, pod: PodIdentity): boolean {
  return profile.status === "ACTIVE" && profile.spec.selectors.some((selector) => selectorMatches(selector, pod));
}

/** The profile that runs this pod on Fargate, or undefined when none selects it. */
export function chooseProfile(profiles: NamedProfile[], pod: PodIdentity): NamedProfile | undefined {
  const matching = profiles.filter((profile) => profileMatches(profile, pod)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const pinned = pod.labels[profileLabel];
  if (pinned !== undefined) return matching.find((profile) => profile.name === pinned);
  return matching[0];
}

/** Checks a profile as CreateFargateProfile does; returns the first problem, or undefined. */
export function profileProblem(name: string, spec: FargateProfileSpec, knownSubnets: string[]): string | undefined {
  if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(name)) return `fargateProfileName "${name}" must be 1-100 letters, digits, hyphens or underscores, starting with a letter or digit`;
  if (!spec.podExecutionRoleArn) return "podExecutionRoleArn is required";
  if (spec.selectors.length === 0) return "at least one selector is required";
  if (spec.selectors.length > selectorsMax) return `a Fargate profile can have at most ${selectorsMax} selectors; got ${spec.selectors.length}`;
  for (const selector of spec.selectors) {
    if (!selector.namespace) return "every selector needs a namespace";
    const labels = Object.keys(selector.labels ?? {}).length;
    if (labels > labelsPerSelectorMax) return `a selector can have at most ${labelsPerSelectorMax} labels; got ${labels}`;
  }
  for (const subnet of spec.subnets) {
    if (!knownSubnets.includes(subnet)) return `Subnet ${subnet} provided in Fargate Profile is not a private subnet of the cluster's VPC`;
  }
  return undefined;
}

/**
 * A sandbox that Moor runs for an AWS object (an ECS task, an EC2 instance, a DB instance) is a
 * pod that names its subnets in this annotation (comma-separated): it runs on a Fargate-shaped
 * node of its own in one of them, whatever the Fargate profiles select (DESIGN decision 9).
 */
export const subnetIdsAnnotation = "moor.dev/subnet-ids";

/** The placement such a pod asks for, as a profile named after its namespace; else undefined. */
export function sandboxPlacement(pod: { namespace: string; annotations: Record<string, string> }): NamedProfile | undefined {
  const subnets = pod.annotations[subnetIdsAnnotation]?.split(",").map((id) => id.trim()).filter((id) => id !== "");
  if (!subnets || subnets.length === 0) return undefined;
  return { name: pod.namespace, spec: { clusterName: "", podExecutionRoleArn: "", subnets, selectors: [] }, status: "ACTIVE" };
}
