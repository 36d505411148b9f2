// DeleteService: refused while the service is scaled above 0 unless `force`; otherwise the
// service is DRAINING with desired count 0, and controllers/ecs stops its tasks and makes it
// INACTIVE.

import { type CallContext, type EcsContext, ecsError, parameterError, requireCluster } from "./_context.js";
import { requireService, serviceOutput } from "./_services.js";

export function deleteService(context: EcsContext, input: { cluster?: string; service: string; force?: boolean }, _call?: CallContext) {
  const { store } = context;
  return store.transaction(() => {
    const cluster = requireCluster(context, input.cluster).metadata.name;
    const service = requireService(context, cluster, input.service);
    if (service.status?.status === "INACTIVE") throw ecsError("ServiceNotActiveException", "Service was not ACTIVE.", "Conflict");
    if (Number(service.spec?.desiredCount ?? 0) > 0 && !input.force) throw parameterError("The service cannot be stopped while it is scaled above 0.");
    const updated = store.update({ ...service, spec: { ...service.spec, desiredCount: 0 }, status: { ...service.status, status: "DRAINING" } });
    return { service: serviceOutput(context, updated) };
  });
}
