// Services in the kernel: the table of Service rules (domain/traffic renders it) loaded into the
// VPC network namespace with nftables, in one `nft -f` transaction per change. Only the
// difference from the table loaded last is sent (see nftCommands), so a pod becoming ready
// touches one map and one chain, and session-affinity sets keep what the kernel put in them.
//
// The namespace is the agent's (VpcNetwork makes it); when it is made again (a restart after
// every pod went), the table is loaded whole. Packets never cross user space on this path.

import { statSync } from "node:fs";
import { nftCommands, sameRuleset, type NftRuleset } from "../../domain/traffic/mod.js";
import { quote, unavailable } from "../../errors/mod.js";
import { command } from "../../engines/command/mod.js";
import { VpcNetwork } from "./_network.js";

/** How long one `nft -f` may take before it is killed and retried. */
const nftTimeoutMs = 10_000;

export class ServiceDatapath {
  readonly namespace: string;
  private readonly path: string;
  private loaded: NftRuleset | undefined;
  /** The namespace's inode when `loaded` went in: another inode is another namespace. */
  private loadedInto: number | undefined;

  constructor(home: string, region: string) {
    const network = new VpcNetwork(home, region);
    this.namespace = network.namespace;
    this.path = network.namespacePath(network.namespace);
  }

  /** Makes the kernel's table `ruleset`; Unavailable (retried by the caller) while the VPC namespace is missing. */
  async apply(ruleset: NftRuleset): Promise<void> {
    const path = this.path;
    let inode: number;
    try {
      inode = statSync(path).ino;
    } catch {
      throw unavailable(`Cannot load the Service rules: the VPC network namespace ${quote(this.namespace)} does not exist yet`);
    }
    const previous = inode === this.loadedInto ? this.loaded : undefined;
    if (sameRuleset(previous, ruleset)) return;
    const result = await command("nsenter", [`--net=${path}`, "nft", "-f", "-"], { input: nftCommands(previous, ruleset), allowFailure: true, timeoutMs: nftTimeoutMs });
    if (result.code !== 0) {
      // What is loaded is unknown now: the next apply replaces the table whole.
      this.loaded = undefined;
      throw unavailable(`Cannot load the Service rules into ${quote(this.namespace)}: nft said: ${result.stderr.trim().split("\n").slice(0, 3).join(" ")}`);
    }
    this.loaded = ruleset;
    this.loadedInto = inode;
  }
}
