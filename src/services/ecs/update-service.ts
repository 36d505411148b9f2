// UpdateService: desiredCount alone changes the PRIMARY deployment's target; a new task
// definition, network configuration or platform version, or forceNewDeployment, starts a new
// PRIMARY deployment whose tasks replace the old ones (controllers/ecs, honouring
// minimumHealthyPercent and maximumPercent). So do changed loadBalancers, as on ECS: each
// task registers with the target groups its deployment had when it started.

import { type CallContext, type EcsContext, ecsError, parameterError, requireCluster } from "./_context.js";
import { type Deployment, deploymentId, requireService, serviceOutput } from "./_services.js";
import { checkLaunch, type NetworkConfiguration } from "./_tasks.js";
import { type DeploymentConfiguration, deploymentConfigurationOf } from "./create-service.js";
import { findTaskDefinition } from "./describe-task-definition.js";
import { checkLoadBalancers, type ServiceLoadBalancer } from "./_load-balancers.js";

export interface UpdateServiceInput {
  cluster?: string;
  service: string;
  desiredCount?: number;
  taskDefinition?: string;
  networkConfiguration?: NetworkConfiguration;
  platformVersion?: string;
  forceNewDeployment?: boolean;
  deploymentConfiguration?: DeploymentConfiguration;
  loadBalancers?: ServiceLoadBalancer[];
  healthCheckGracePeriodSeconds?: number;
  propagateTags?: string;
  availabilityZoneRebalancing?: string;
  enableECSManagedTags?: boolean;
}

export function updateService(context: EcsContext, input: UpdateServiceInput, _call?: CallContext) {
  const { store } = context;
  return store.transaction(() => {
    const cluster = requireCluster(context, input.cluster).metadata.name;
    const service = requireService(context, cluster, input.service);
    if (service.status?.status !== "ACTIVE") throw ecsError("ServiceNotActiveException", "Service was not ACTIVE.", "Conflict");
    const spec = service.spec ?? {};
    const definition = findTaskDefinition(context, input.taskDefinition ?? String(spec.taskDefinition));
    if (!definition) throw parameterError("TaskDefinition not found.");
    if (input.taskDefinition && definition.status?.status !== "ACTIVE") throw parameterError("TaskDefinition is inactive");
    const { network, platformVersion } = checkLaunch(context, definition, {
      launchType: "FARGATE",
      platformVersion: input.platformVersion ?? spec.platformVersion,
      networkConfiguration: input.networkConfiguration ?? spec.networkConfiguration,
    });
    const networkConfiguration = { awsvpcConfiguration: network };
    const definitionArn = String(definition.spec?.taskDefinitionArn);
    // Checked again only when they or the task definition change, so scaling never fails on them.
    const recheck = input.loadBalancers !== undefined || definitionArn !== spec.taskDefinition;
    const loadBalancers = recheck ? checkLoadBalancers(context, definition, input.loadBalancers ?? spec.loadBalancers ?? []) : (spec.loadBalancers ?? []);
    const changed =
      definitionArn !== spec.taskDefinition ||
      (input.networkConfiguration !== undefined && JSON.stringify(networkConfiguration) !== JSON.stringify(spec.networkConfiguration)) ||
      (input.platformVersion !== undefined && input.platformVersion !== spec.platformVersion) ||
      JSON.stringify(loadBalancers) !== JSON.stringify(spec.loadBalancers ?? []) ||
      input.forceNewDeployment === true;
    const now = context.now().toISOString();
    const deployments = (spec.deployments ?? []) as Deployment[];
    const next: Deployment[] = changed ? [{ id: deploymentId(context), taskDefinition: definitionArn, platformVersion, networkConfiguration, createdAt: now }, ...deployments] : deployments;
    const updated = store.update({
      ...service,
      spec: {
        ...spec,
        taskDefinition: definitionArn,
        desiredCount: input.desiredCount ?? spec.desiredCount,
        platformVersion: input.platformVersion ?? spec.platformVersion,
        networkConfiguration,
        deploymentConfiguration: deploymentConfigurationOf(input.deploymentConfiguration, spec.deploymentConfiguration),
        loadBalancers,
        ...(input.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds } : {}),
        ...(input.propagateTags ? { propagateTags: input.propagateTags } : {}),
        ...(input.availabilityZoneRebalancing ? { availabilityZoneRebalancing: input.availabilityZoneRebalancing } : {}),
        ...(input.enableECSManagedTags !== undefined ? { enableECSManagedTags: input.enableECSManagedTags } : {}),
        deployments: next,
      },
    });
    return { service: serviceOutput(context, updated) };
  });
}
