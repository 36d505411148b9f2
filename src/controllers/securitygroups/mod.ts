// The security-group controller: keeps the VPC namespace's packet rules equal to the groups and
// interfaces in the store. Any change to a group, a pod (its address, its end), a mount target or
// a node renders the whole ruleset again (domain/securitygroups) and hands it to the firewall,
// which replaces Moor's table atomically and skips a ruleset already in place. One key for the
// whole VPC: changes that arrive together are applied once.

import type { Clock } from "../../clock/mod.js";
import { mountTargetKind } from "../../domain/efs/mod.js";
import type { Vpc } from "../../domain/network/mod.js";
import {
  type MountTargetLike,
  networkInterfacesOf,
  type NodeLike,
  type PodLike,
  renderRuleset,
  type SecurityGroupObject,
  securityGroupKind,
} from "../../domain/securitygroups/mod.js";
import type { Store } from "../../store/mod.js";
import { type Controller, ControllerRuntime } from "../runtime/mod.js";

/** Where the ruleset goes: the agent's firewall (agent/network), or a fake in tests. */
export interface Firewall {
  /** False when there is no VPC namespace yet to load it into. */
  apply(ruleset: string): Promise<boolean>;
}

export interface SecurityGroupControllerOptions {
  store: Store;
  vpc: Vpc;
  firewall: Firewall;
  clock: Clock;
}

/** How soon to look again when the VPC namespace is not there yet. */
export const namespaceWaitMs = 1_000;
/** A resync even when nothing changed: a namespace the agent made again gets its rules back. */
export const firewallResyncMs = 10_000;

const vpcKey = "Vpc//embedded";

/** The ruleset the store's groups and interfaces call for. */
export function desiredRuleset(store: Store, vpc: Vpc): string {
  const interfaces = networkInterfacesOf(vpc, {
    pods: store.list("Pod").items as PodLike[],
    mountTargets: store.list(mountTargetKind).items as MountTargetLike[],
    nodes: store.list("Node").items as NodeLike[],
  });
  return renderRuleset(store.list(securityGroupKind).items as SecurityGroupObject[], interfaces);
}

export function createSecurityGroupController(options: SecurityGroupControllerOptions): ControllerRuntime {
  const { store, vpc, firewall, clock } = options;
  const controller: Controller = {
    name: "securitygroups",
    kinds: [securityGroupKind, "Pod", mountTargetKind, "Node"],
    keysFor: () => [vpcKey],
    allKeys: () => [vpcKey],
    resyncIntervalMs: firewallResyncMs,
    reconcile: async () => ((await firewall.apply(desiredRuleset(store, vpc))) ? undefined : namespaceWaitMs),
  };
  return new ControllerRuntime({ name: "securitygroups", store, clock, controllers: [controller] });
}
