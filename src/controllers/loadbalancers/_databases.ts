// DB instances' endpoints on the host: each DB instance with a running server is proxied like an
// NLB with one TCP listener on its port and its server as the only target, on a host loopback
// address of its own, its endpoint name in the hosts block, so `mysql -h <endpoint>` works on the
// host as from a pod. Cluster DNS keeps answering the endpoint with the server's own address
// (the RDS controller's record), so pods' connections are checked by the instance's security
// groups; the host's come from the proxy, as a load balancer's do.

import { type DBInstanceObject, dbInstanceKind, endpointAddress, endpointToken, wantsServer } from "../../domain/rds/mod.js";
import type { LoadBalancerPlan, PlanResult } from "../../domain/loadbalancers/mod.js";
import type { StoredObject } from "../../store/mod.js";

export { dbInstanceKind };

/** The plan of a DB instance's endpoint; none while it has no running server. */
export function databasePlan(object: StoredObject, accountId: string, region: string): PlanResult | undefined {
  const instance = object as unknown as DBInstanceObject;
  const { spec, status } = instance;
  if (!status?.address || !wantsServer(status.status)) return undefined;
  const plan: LoadBalancerPlan = {
    name: `rds-${spec.identifier}`,
    dnsName: endpointAddress(spec.identifier, endpointToken(accountId, region), region),
    type: "network",
    scheme: "internal",
    listeners: [{ protocol: "TCP", port: spec.port, rules: [], defaultTargetGroup: "server" }],
    targetGroups: [
      {
        id: "server",
        protocol: "TCP",
        targets: [{ ip: status.address, port: spec.port }],
        // A database counts a connection closed before its handshake as an error (and MariaDB
        // blocks the host after `max_connect_errors`): the proxy does not check the server.
        healthCheckEnabled: false,
        healthCheck: { protocol: "TCP", port: "traffic-port", intervalSeconds: 10, timeoutSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
      },
    ],
  };
  return { plan, warnings: [] };
}
