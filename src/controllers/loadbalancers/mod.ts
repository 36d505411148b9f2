// The load balancer controller: what the AWS Load Balancer Controller does on EKS. An Ingress of
// class alb (the `alb` IngressClass of controller ingress.k8s.aws/alb, which Moor creates at
// start as the LBC's chart does, or the legacy `kubernetes.io/ingress.class: alb` annotation)
// becomes an ALB, and a Service of type LoadBalancer an NLB: a plan from
// src/domain/loadbalancers with the ready pod addresses as IP targets, realized by the proxy
// engine (src/engines/loadbalancers) on the host loopback address kept in the object's
// `loadbalancers.moor.dev/host-address` annotation and on the VPC address of the same slot; the
// AWS hostname goes to `status.loadBalancer.ingress[0].hostname` (kubectl's ADDRESS and
// EXTERNAL-IP) and, as a DnsRecord object answered with the VPC address, to cluster DNS. Each DB
// instance with a running server gets its endpoint on the host the same way (a TCP listener on
// its own loopback address and its name in the hosts block), its cluster DNS name left to RDS.
//
// Lifecycle: `createLoadBalancerController(options)`; `start()` watches Ingresses,
// IngressClasses, Services and Endpoints and resyncs (removing the DnsRecords of objects gone meanwhile); `stop()` ends the watches (the engine's
// own stop removes the proxy and the hosts block).

import type { Clock } from "../../clock/mod.js";
import { albController } from "../../domain/loadbalancers/mod.js";
import { createRecorder } from "../../events/mod.js";
import type { Store } from "../../store/mod.js";
import { ControllerRuntime } from "../runtime/mod.js";
import { createLoadBalancerReconciler, type ProxyPort } from "./_reconciler.js";

export { addressAnnotation, type AddressedPlan, type ProxyPort } from "./_reconciler.js";

export interface LoadBalancerControllerOptions {
  store: Store;
  clock: Clock;
  proxy: ProxyPort;
  region: string;
  /** For DB instances' endpoint names (RDS's token is per account and region). */
  accountId: string;
  clusterName: string;
  homeDigest: string;
}

export function createLoadBalancerController(options: LoadBalancerControllerOptions): ControllerRuntime {
  const recorder = createRecorder(options.store, { component: "ingress" }, () => options.clock.now());
  const controller = createLoadBalancerReconciler({ ...options, recorder });
  return new ControllerRuntime({ name: "load-balancer-controller", store: options.store, clock: options.clock, controllers: [controller] });
}

/** The `alb` IngressClass the LBC's Helm chart installs. */
export function ensureAlbIngressClass(store: Store): void {
  if (store.get({ kind: "IngressClass", name: "alb" })) return;
  store.create({
    apiVersion: "networking.k8s.io/v1",
    kind: "IngressClass",
    metadata: { name: "alb", labels: { "app.kubernetes.io/name": "aws-load-balancer-controller" }, annotations: { "moor.dev/built-in": "true" } },
    spec: { controller: albController },
  });
}
