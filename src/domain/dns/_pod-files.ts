// A pod's /etc/resolv.conf and /etc/hosts, as the kubelet writes them: the cluster DNS with
// the pod's namespace first in the search list and ndots:5 (dnsPolicy ClusterFirst, the
// default), the node's resolver (Default), or only what dnsConfig says (None); dnsConfig's
// nameservers, searches and options are merged in. The hosts file names the pod by its
// hostname, and by its fully qualified name when it has a subdomain.

import { clusterDomain } from "./_records.js";

/** The kube-dns Service's ClusterIP, as on EKS: the nameserver of ClusterFirst pods. */
export const kubeDnsClusterIp = "10.100.0.10";

/**
 * Whether ClusterFirst pods name kube-dns's ClusterIP in resolv.conf, as on EKS: the Service
 * datapath carries 10.100.0.10:53 to the DNS server. Otherwise they would name the VPC
 * resolver address (base + 2), where the same server answers.
 */
export const podsAskKubeDnsClusterIp = true;

export interface PodDnsSpec {
  dnsPolicy?: string;
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
  hostname?: string;
  subdomain?: string;
  hostAliases?: { ip: string; hostnames?: string[] }[];
}

export interface NodeResolver {
  /** The cluster DNS address pods use under ClusterFirst (the kube-dns Service's ClusterIP). */
  clusterNameserver: string;
  /** The node's own resolver, for dnsPolicy Default (on AWS the VPC's base + 2). */
  nodeNameserver: string;
  /** The node's search domains ("ec2.internal" in us-east-1, "<region>.compute.internal" elsewhere). */
  nodeSearches: string[];
}

/** Upstream's limits: three nameservers, 32 search domains. */
const nameserversMax = 3;
const searchesMax = 32;

/** The search domain of an EC2 instance's resolver in a region. */
export function ec2SearchDomain(region: string): string {
  return region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`;
}

export function podResolvConf(spec: PodDnsSpec, namespace: string, node: NodeResolver): string {
  const policy = spec.dnsPolicy ?? "ClusterFirst";
  let nameservers: string[] = [];
  let searches: string[] = [];
  let options: { name: string; value?: string }[] = [];
  if (policy === "ClusterFirst" || policy === "ClusterFirstWithHostNet") {
    nameservers = [node.clusterNameserver];
    // The kubelet appends the node's search domains (ec2.internal on EKS); Moor does not: no
    // name under them exists here, and each would cost every outside lookup one more round trip.
    searches = [`${namespace}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain];
    options = [{ name: "ndots", value: "5" }];
  } else if (policy === "Default") {
    nameservers = [node.nodeNameserver];
    searches = [...node.nodeSearches];
  }
  const config = spec.dnsConfig ?? {};
  nameservers = unique([...nameservers, ...(config.nameservers ?? [])]).slice(0, nameserversMax);
  searches = unique([...searches, ...(config.searches ?? [])]).slice(0, searchesMax);
  for (const option of config.options ?? []) {
    options = [...options.filter((item) => item.name !== option.name), option];
  }
  const lines: string[] = [];
  if (searches.length > 0) lines.push(`search ${searches.join(" ")}`);
  for (const nameserver of nameservers) lines.push(`nameserver ${nameserver}`);
  if (options.length > 0) lines.push(`options ${options.map((option) => (option.value !== undefined ? `${option.name}:${option.value}` : option.name)).join(" ")}`);
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/** The pod's hostname: spec.hostname, else its name cut to a 63-character label. */
export function podHostname(spec: PodDnsSpec, podName: string): string {
  return spec.hostname || podName.slice(0, 63).replace(/[-.]+$/, "");
}

export function podHostsFile(spec: PodDnsSpec, input: { podName: string; namespace: string; ip: string }): string {
  const hostname = podHostname(spec, input.podName);
  const own = spec.subdomain ? `${hostname}.${spec.subdomain}.${input.namespace}.svc.${clusterDomain}\t${hostname}` : hostname;
  const lines = [
    "# Kubernetes-managed hosts file.",
    "127.0.0.1\tlocalhost",
    "::1\tlocalhost ip6-localhost ip6-loopback",
    "fe00::0\tip6-localnet",
    "fe00::0\tip6-mcastprefix",
    "fe00::1\tip6-allnodes",
    "fe00::2\tip6-allrouters",
    `${input.ip}\t${own}`,
  ];
  const aliases = (spec.hostAliases ?? []).filter((alias) => alias.ip && (alias.hostnames ?? []).length > 0);
  if (aliases.length > 0) {
    lines.push("", "# Entries added by HostAliases.");
    for (const alias of aliases) lines.push(`${alias.ip}\t${alias.hostnames!.join("\t")}`);
  }
  return `${lines.join("\n")}\n`;
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((value) => value.length > 0))];
}
