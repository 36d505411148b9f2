// The load balancer engine: realizes load balancer plans as one HAProxy process on the host
// (listeners on each load balancer's own loopback address, servers reached inside the VPC
// namespace, active health checks as the ALB's or NLB's) and keeps their names in a marked
// block of /etc/hosts. Told everything by its caller; knows nothing of Kubernetes objects.
//
// Lifecycle: `new LoadBalancerEngine(options)`; `apply(balancers)` as often as they change
// (calls are serialized; the latest wins); `stop()` stops HAProxy and removes the hosts block.
// A target new to a target group starts in maintenance and is made ready after the reload, so,
// as on an ALB, it gets traffic only once it has passed `healthyThreshold` checks.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { albUnavailableResponse, backendName, renderConfig, serverName, type ProxiedLoadBalancer } from "./_config.js";
import { adminCommand, startOrReload, stopHaproxy, type HaproxyFiles } from "./_haproxy.js";
import { writeHostsBlock } from "./_hosts.js";

export type { ProxiedLoadBalancer } from "./_config.js";
export { withBlock, writeHostsBlock, type HostsEntry } from "./_hosts.js";

export interface LoadBalancerEngineOptions {
  /** Where HAProxy's configuration, pid file and admin socket live. */
  runDir: string;
  /** The VPC network namespace (a name under /run/netns) the targets live in. */
  namespace: string;
  /** Marks this Moor's block in the hosts file (the data directory's digest). */
  digest: string;
  hostsFile?: string;
}

export class LoadBalancerEngine {
  readonly #options: Required<LoadBalancerEngineOptions>;
  readonly #files: HaproxyFiles;
  #servers = new Set<string>();
  #applied = "";
  #chain: Promise<void> = Promise.resolve();

  constructor(options: LoadBalancerEngineOptions) {
    this.#options = { hostsFile: "/etc/hosts", ...options };
    const dir = options.runDir;
    this.#files = { config: join(dir, "haproxy.cfg"), pidFile: join(dir, "haproxy.pid"), adminSocket: join(dir, "admin.sock"), stateFile: join(dir, "servers.state") };
  }

  /** Makes the proxy and the hosts block match `balancers`; resolves once they do. */
  apply(balancers: readonly ProxiedLoadBalancer[]): Promise<void> {
    const next = this.#chain.then(() => this.#apply(balancers));
    this.#chain = next.catch(() => undefined);
    return next;
  }

  async #apply(balancers: readonly ProxiedLoadBalancer[]): Promise<void> {
    const wanted = new Set<string>();
    for (const balancer of balancers) {
      for (const group of balancer.targetGroups) for (const target of group.targets) wanted.add(`${backendName(balancer, group)}/${serverName(target)}`);
    }
    const fresh = [...wanted].filter((server) => !this.#servers.has(server));
    mkdirSync(this.#options.runDir, { recursive: true });
    const errorFile503 = join(this.#options.runDir, "503.http");
    const context = {
      namespace: this.#options.namespace,
      adminSocket: this.#files.adminSocket,
      stateFile: this.#files.stateFile,
      errorFile503,
      isNew: (backend: string, server: string) => !this.#servers.has(`${backend}/${server}`),
    };
    const text = renderConfig(balancers, context);
    if (text !== this.#applied) {
      writeFileSync(errorFile503, albUnavailableResponse);
      if (balancers.length === 0) await stopHaproxy(this.#files);
      else await startOrReload(this.#files, text);
      for (const server of fresh) {
        // Out of maintenance with its health at zero: it must pass `rise` checks before traffic.
        await adminCommand(this.#files.adminSocket, `set server ${server} state ready`);
        await adminCommand(this.#files.adminSocket, `set server ${server} health down`);
      }
      this.#applied = text;
      this.#servers = wanted;
    }
    const entries = balancers.map((balancer) => ({ address: balancer.address, hostname: balancer.dnsName }));
    await writeHostsBlock(this.#options.hostsFile, this.#options.digest, entries);
  }

  /** Stops the proxy and removes this Moor's hosts block. */
  async stop(): Promise<void> {
    await this.#chain;
    await stopHaproxy(this.#files);
    this.#applied = "";
    this.#servers.clear();
    await writeHostsBlock(this.#options.hostsFile, this.#options.digest, []);
  }
}

/** Removes a hosts block a Moor that died left behind (`moor down` with no Moor running). */
export function removeHostsBlock(digest: string, hostsFile = "/etc/hosts"): Promise<void> {
  return writeHostsBlock(hostsFile, digest, []);
}
