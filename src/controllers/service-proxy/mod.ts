// The service proxy: what kube-proxy does on each node, as one controller. It watches Services,
// EndpointSlices and Nodes, renders the whole Service table (domain/traffic: cluster IPs, node
// ports on the nodes' addresses, session affinity, rejects for Services with no endpoint) and
// hands it to the datapath, which loads the difference into the kernel. Every change maps to one
// key, so a burst of changes is one load.
//
// Lifecycle: `createServiceProxy({ store, clock, datapath })`; `start()` loads the table for
// what is stored (a restart rebuilds it from the store), `stop()` leaves the kernel's rules in
// place: traffic keeps flowing while Moor restarts (DESIGN decision 14).

import type { Clock } from "../../clock/mod.js";
import { servicesRuleset, type NftRuleset } from "../../domain/traffic/mod.js";
import type { Store, WatchEvent } from "../../store/mod.js";
import { ControllerRuntime, objectKey } from "../runtime/mod.js";

/** Where the table goes: the agent's ServiceDatapath, or a fake in tests. */
export interface ServiceRulesPort {
  apply(ruleset: NftRuleset): Promise<void>;
}

export interface ServiceProxyOptions {
  store: Store;
  clock: Clock;
  datapath: ServiceRulesPort;
}

export interface ServiceProxy {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  settled(): Promise<void>;
}

/** The one key: the whole table. */
const tableKey = objectKey({ kind: "ServiceTable", namespace: "", name: "moor_services" });
/** A resync repairs a table lost with its namespace (the agent makes it again after a restart). */
const resyncIntervalMs = 5_000;

function nodeAddresses(nodes: readonly any[]): string[] {
  return nodes.flatMap((node) => (node.status?.addresses ?? []).filter((address: any) => address.type === "InternalIP").map((address: any) => address.address as string));
}

/** The table for everything stored now. */
export function currentRuleset(store: Store): NftRuleset {
  return servicesRuleset({
    services: store.list("Service").items,
    slices: store.list("EndpointSlice").items,
    nodeIps: nodeAddresses(store.list("Node").items),
  });
}

export function createServiceProxy(options: ServiceProxyOptions): ServiceProxy {
  const { store, datapath } = options;
  const controller = {
    name: "service-proxy",
    kinds: ["Service", "EndpointSlice", "Node"],
    resyncIntervalMs,
    keysFor: (event: WatchEvent) => (event.object.kind === "Node" && event.type === "MODIFIED" ? [] : [tableKey]),
    allKeys: () => [tableKey],
    reconcile: () => datapath.apply(currentRuleset(store)),
  };
  return new ControllerRuntime({ name: "service-proxy", store, clock: options.clock, controllers: [controller] });
}
