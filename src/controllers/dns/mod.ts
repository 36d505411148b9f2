// The DNS controller: keeps cluster DNS in step with the store. On the controller runtime, any
// change to a Service, Endpoints, Pod, EFS MountTarget or DnsRecord object rebuilds the record
// set (src/domain/dns) and publishes it to the DNS server when it differs, so an answer follows
// the store within one reconcile (milliseconds). It also keeps the kube-dns Service
// (10.100.0.10) and its Endpoints in kube-system, created at start before anything else can
// take that address.
//
// Lifecycle: `createDnsController({ store, clock, region, subnets, serverAddress, publish })`;
// `start()` ensures kube-dns and starts the runtime; `stop()` stops it.

import type { Clock } from "../../clock/mod.js";
import type { Component } from "../../component/mod.js";
import { clusterRecords, type ClusterDnsContext, type DnsRecord, dnsRecordKind } from "../../domain/dns/mod.js";
import { mountTargetKind } from "../../domain/efs/mod.js";
import type { Store } from "../../store/mod.js";
import { type Controller, ControllerRuntime, objectKey } from "../runtime/mod.js";
import { ensureKubeDns, kubeDnsName, kubeDnsNamespace } from "./_kube-dns.js";

export { kubeDnsClusterIp } from "./_kube-dns.js";

export interface DnsControllerOptions extends ClusterDnsContext {
  store: Store;
  clock: Clock;
  /** Where the DNS server answers inside the VPC: the kube-dns Endpoints' address. */
  serverAddress: string;
  publish(records: DnsRecord[]): void;
}

const zoneKey = objectKey({ kind: "DnsZone", namespace: "", name: "cluster" });
const kubeDnsKey = objectKey({ kind: "Service", namespace: kubeDnsNamespace, name: kubeDnsName });
const watchedKinds = ["Service", "Endpoints", "Pod", mountTargetKind, dnsRecordKind];

export interface DnsController extends Component {
  /** Resolves once every change seen so far is published (tests). */
  settled(): Promise<void>;
}

export function createDnsController(options: DnsControllerOptions): DnsController {
  const { store } = options;
  let published = "";
  const controller: Controller = {
    name: "dns-controller",
    kinds: watchedKinds,
    allKeys: () => [kubeDnsKey, zoneKey],
    keysFor(event) {
      const { kind, metadata } = event.object;
      const own = (kind === "Service" || kind === "Endpoints") && metadata.namespace === kubeDnsNamespace && metadata.name === kubeDnsName;
      return own ? [kubeDnsKey, zoneKey] : [zoneKey];
    },
    reconcile(key) {
      if (key === kubeDnsKey) {
        const problem = ensureKubeDns(store, options.serverAddress);
        if (problem) console.error(`moor: ${problem}`);
        return;
      }
      const objects = {
        services: store.list("Service").items,
        endpoints: store.list("Endpoints").items,
        pods: store.list("Pod").items,
        mountTargets: store.list(mountTargetKind).items,
        extras: store.list(dnsRecordKind).items,
      };
      const records = clusterRecords(objects, options);
      const text = JSON.stringify(records);
      if (text === published) return;
      published = text;
      options.publish(records);
    },
  };
  const runtime = new ControllerRuntime({ name: "dns", store, clock: options.clock, controllers: [controller] });
  return {
    name: "dns-controller",
    async start() {
      const problem = ensureKubeDns(store, options.serverAddress);
      if (problem) console.error(`moor: ${problem}`);
      await runtime.start();
    },
    stop: () => runtime.stop(),
    settled: () => runtime.settled(),
  };
}
