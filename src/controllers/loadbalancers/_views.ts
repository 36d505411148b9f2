// Reading the store into the load balancer domain's views: Services, their Endpoints, and the
// IngressClasses' controllers.

import type { EndpointsView, ServiceView } from "../../domain/loadbalancers/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";

export function serviceView(service: StoredObject): ServiceView {
  return {
    name: service.metadata.name,
    namespace: service.metadata.namespace ?? "default",
    uid: service.metadata.uid ?? "",
    type: service.spec?.type ?? "ClusterIP",
    annotations: service.metadata.annotations ?? {},
    ports: service.spec?.ports ?? [],
  };
}

export function endpointsView(endpoints: StoredObject | undefined): EndpointsView | undefined {
  return endpoints ? { subsets: (endpoints as { subsets?: EndpointsView["subsets"] }).subsets ?? [] } : undefined;
}

export function namespaceViews(store: Store, namespace: string): { services: Map<string, ServiceView>; endpoints: Map<string, EndpointsView> } {
  const services = new Map(store.list("Service", { namespace }).items.map((service) => [service.metadata.name, serviceView(service)]));
  const endpoints = new Map(store.list("Endpoints", { namespace }).items.map((item) => [item.metadata.name, endpointsView(item)!]));
  return { services, endpoints };
}

export function classControllers(store: Store): Map<string, string> {
  return new Map(store.list("IngressClass").items.map((item) => [item.metadata.name, String(item.spec?.controller ?? "")]));
}
