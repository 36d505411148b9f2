// The load balancer reconciler: one key per Ingress of class alb, per LoadBalancer Service and per
// ELBv2-made load balancer (src/services/elbv2 gives its plan), and per DB instance (its endpoint
// on the host, _databases.ts).
// Each reconcile rebuilds that object's plan, gives it a host loopback address (kept in an
// annotation, so it survives restarts) and the VPC address of the same slot, writes the hostname
// to its status and to cluster DNS (answered with the VPC address), records the LBC's events,
// and hands every current plan to the proxy engine.

import { createHash } from "node:crypto";
import type { Recorder } from "../../events/mod.js";
import { isAlbIngress, loopbackAddress, loopbackSlot, loopbackSlotsMax, planIngress, planService, vpcAddress, type Cluster, type LoadBalancerPlan, type PlanResult } from "../../domain/loadbalancers/mod.js";
import { limitExceeded } from "../../errors/mod.js";
import { apiLoadBalancerPlan, apiLoadBalancersUsing, listenerKind, loadBalancerKind, targetGroupKind } from "../../services/elbv2/mod.js";
import { keyOf, type Store, type StoredObject, type WatchEvent } from "../../store/mod.js";
import { type Controller, objectKey, splitKey } from "../runtime/mod.js";
import { namedKeys, publishName, removeNames } from "./_dns-names.js";
import { classControllers, endpointsView, namespaceViews, serviceView } from "./_views.js";
import { databasePlan, dbInstanceKind } from "./_databases.js";

export const addressAnnotation = "loadbalancers.moor.dev/host-address";

/** A plan with its addresses: on the host's loopback, and inside the VPC (which pods reach; none for a DB instance). */
export type AddressedPlan = LoadBalancerPlan & { address: string; vpcAddress?: string };

export interface ProxyPort {
  apply(balancers: readonly AddressedPlan[]): Promise<void>;
}

export interface ReconcilerOptions {
  store: Store;
  proxy: ProxyPort;
  recorder: Recorder;
  region: string;
  /** For DB instances' endpoint names. */
  accountId: string;
  clusterName: string;
  /** The data directory's digest: picks this Moor's 127.a.b block. */
  homeDigest: string;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Writes the hostname to the status and the address to the annotation, when they change. */
function publish(options: ReconcilerOptions, object: StoredObject, plan: LoadBalancerPlan, address: string): void {
  const annotations = { ...object.metadata.annotations, [addressAnnotation]: address };
  const status = { ...object.status, loadBalancer: { ingress: [{ hostname: plan.dnsName }] } };
  if (object.metadata.annotations?.[addressAnnotation] === address && JSON.stringify(object.status?.loadBalancer) === JSON.stringify(status.loadBalancer)) return;
  const first = !object.status?.loadBalancer?.ingress?.length;
  options.store.update({ ...object, metadata: { ...object.metadata, annotations }, status });
  if (first && object.kind === "Ingress") options.recorder.record(object, "Normal", "SuccessfullyReconciled", "Successfully reconciled");
}

function keepAddress(options: ReconcilerOptions, object: StoredObject, address: string): void {
  if (object.metadata.annotations?.[addressAnnotation] === address) return;
  const current = options.store.get(keyOf(object));
  if (current) options.store.update({ ...current, metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, [addressAnnotation]: address } } });
}

/** The keys of the ELBv2-made load balancers an ELBv2 object is part of. */
const apiKeys = (store: Store, object: StoredObject) => apiLoadBalancersUsing(store, object).map((name) => objectKey({ kind: loadBalancerKind, name }));

function apiPlan(store: Store, name: string): PlanResult | undefined {
  const plan = apiLoadBalancerPlan(store, name);
  return plan && { plan, warnings: [] };
}

export function createLoadBalancerReconciler(options: ReconcilerOptions): Controller {
  const { store } = options;
  const cluster: Cluster = { name: options.clusterName, region: options.region, sha256 };
  const active = new Map<string, AddressedPlan>();
  const ingressKeysIn = (namespace?: string) => store.list("Ingress", namespace === undefined ? {} : { namespace }).items.map((item) => objectKey(keyOf(item)));

  const planFor = (object: StoredObject): PlanResult | undefined => {
    if (object.kind === loadBalancerKind) return apiPlan(store, object.metadata.name);
    if (object.kind === dbInstanceKind) return databasePlan(object, options.accountId, options.region);
    if (object.kind === "Service") {
      if (object.spec?.type !== "LoadBalancer") return undefined;
      return planService(cluster, serviceView(object), endpointsView(store.get({ kind: "Endpoints", namespace: object.metadata.namespace, name: object.metadata.name })));
    }
    if (!isAlbIngress(object, classControllers(store))) return undefined;
    const namespace = object.metadata.namespace ?? "default";
    return planIngress({ cluster, ingress: { namespace, name: object.metadata.name, annotations: object.metadata.annotations ?? {}, spec: object.spec }, ...namespaceViews(store, namespace) });
  };

  /** The object's kept address if no other load balancer holds it, else the lowest free one. */
  const addressFor = (key: string, object: StoredObject): string => {
    const taken = new Set([...active].filter(([other]) => other !== key).map(([, balancer]) => balancer.address));
    const kept = object.metadata.annotations?.[addressAnnotation];
    if (kept && !taken.has(kept)) return kept;
    for (let slot = 1; slot <= loopbackSlotsMax; slot++) {
      const address = loopbackAddress(options.homeDigest, slot);
      if (!taken.has(address)) return address;
    }
    throw limitExceeded(`Cannot give load balancer of ${key} a host address: all ${loopbackSlotsMax} are in use`);
  };

  return {
    name: "load-balancer-controller",
    kinds: ["Ingress", "IngressClass", "Service", "Endpoints", loadBalancerKind, listenerKind, targetGroupKind, dbInstanceKind],
    allKeys: () => [...ingressKeysIn(), ...[loadBalancerKind, dbInstanceKind].flatMap((kind) => store.list(kind).items.map((item) => objectKey(keyOf(item)))), ...store.list("Service").items.filter((item) => item.spec?.type === "LoadBalancer").map((item) => objectKey(keyOf(item))), ...active.keys(), ...namedKeys(store)],
    keysFor(event: WatchEvent) {
      const object = event.object;
      if (object.kind === "IngressClass") return ingressKeysIn();
      if (object.kind === "Ingress" || object.kind === dbInstanceKind) return [objectKey(keyOf(object))];
      if (object.kind === loadBalancerKind || object.kind === listenerKind || object.kind === targetGroupKind) return apiKeys(store, object);
      // A Service or its Endpoints: its own NLB, and the ALBs of Ingresses in its namespace.
      const service = objectKey({ kind: "Service", namespace: object.metadata.namespace, name: object.metadata.name });
      return [service, ...ingressKeysIn(object.metadata.namespace ?? "default")];
    },
    async reconcile(key) {
      const { kind, namespace, name } = splitKey(key);
      const object = store.get({ kind, namespace, name });
      const result = object && !object.metadata.deletionTimestamp ? planFor(object) : undefined;
      if (object && result && "failure" in result) {
        // As the LBC: the event, and the load balancer as it was.
        options.recorder.record(object, "Warning", "FailedBuildModel", result.failure);
        return;
      }
      if (object && result && "plan" in result) {
        for (const warning of result.warnings) options.recorder.record(object, "Warning", "FailedDeployModel", warning);
        const address = addressFor(key, object);
        const inVpc = vpcAddress(loopbackSlot(address));
        active.set(key, { ...result.plan, address, ...(object.kind === dbInstanceKind ? {} : { vpcAddress: inVpc }) });
        // The hostname is published once it resolves and answers, so a client that sees it can use it.
        await options.proxy.apply([...active.values()]);
        // A DB instance keeps its host address; its name in cluster DNS is the RDS controller's.
        if (object.kind === dbInstanceKind) return keepAddress(options, object, address);
        publish(options, object, result.plan, address);
        publishName(store, key, result.plan.dnsName, inVpc);
      } else {
        if (active.delete(key)) await options.proxy.apply([...active.values()]);
        removeNames(store, key);
      }
    },
  };
}
