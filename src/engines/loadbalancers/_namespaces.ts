// The two network namespaces HAProxy works across. It runs inside the VPC namespace; the host's
// own namespace gets a name under /run/netns (`ip netns attach`, a bind mount of the namespace
// and nothing more) so that HAProxy's `bind … namespace` can open it for the host listeners.
// Each load balancer's VPC address lives on the VPC namespace's loopback interface, as the DNS
// server's does, so pods reach it through their default route.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { command } from "../command/mod.js";

const netnsDir = "/run/netns";

/** Names the namespace this process runs in (the host's), once. */
export async function ensureHostNamespace(name: string): Promise<void> {
  if (existsSync(join(netnsDir, name))) return;
  await command("ip", ["netns", "attach", name, String(process.pid)]);
}

/** Removes the name (the namespace itself is the host's and stays). */
export async function removeHostNamespace(name: string): Promise<void> {
  if (existsSync(join(netnsDir, name))) await command("ip", ["netns", "delete", name], { allowFailure: true });
}

export async function addVpcAddress(namespace: string, address: string): Promise<void> {
  await command("ip", ["-n", namespace, "addr", "replace", `${address}/32`, "dev", "lo"]);
}

export async function removeVpcAddress(namespace: string, address: string): Promise<void> {
  await command("ip", ["-n", namespace, "addr", "del", `${address}/32`, "dev", "lo"], { allowFailure: true });
}
