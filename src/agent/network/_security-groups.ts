// Security groups in the datapath: the ruleset (rendered from groups and interfaces by
// domain/securitygroups) loaded into the VPC network namespace with `nft -f`, which replaces
// Moor's own table (`inet moor_sg`) in one transaction, so no packet ever sees half a ruleset.
// Other tables in the namespace (Service rules) are not touched.

import { existsSync } from "node:fs";
import { rulesetTable } from "../../domain/securitygroups/mod.js";
import { command } from "../../engines/command/mod.js";
import type { VpcNetwork } from "./_network.js";

const nftTimeoutMs = 10_000;

export class SecurityGroupFirewall {
  readonly #network: VpcNetwork;
  #applied: string | undefined;

  constructor(network: VpcNetwork) {
    this.#network = network;
  }

  /**
   * Loads the ruleset unless the same one is already in place; false when the VPC namespace does
   * not exist (the agent makes it, and removes it when no pod is left: nothing to guard then).
   * A namespace made again since the last load (the agent restarted) gets the ruleset anew.
   */
  async apply(ruleset: string): Promise<boolean> {
    if (!existsSync(this.#network.namespacePath(this.#network.namespace))) return false;
    if (ruleset === this.#applied && (await this.#tablePresent())) return true;
    await command("ip", ["netns", "exec", this.#network.namespace, "nft", "-f", "-"], { input: ruleset, timeoutMs: nftTimeoutMs });
    this.#applied = ruleset;
    return true;
  }

  async #tablePresent(): Promise<boolean> {
    const result = await command("ip", ["netns", "exec", this.#network.namespace, "nft", "list", "table", "inet", rulesetTable], { allowFailure: true, timeoutMs: nftTimeoutMs });
    return result.code === 0;
  }
}
