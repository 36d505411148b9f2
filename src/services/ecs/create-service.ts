// CreateService: a REPLICA service on Fargate with its first deployment (PRIMARY); the
// launch checks are RunTask's. controllers/ecs starts its tasks. A name already ACTIVE or
// DRAINING in the cluster is refused; an INACTIVE one is replaced.

import { type CallContext, type EcsContext, ecsApiVersion, parameterError, requireCluster, serviceKind, type Tag } from "./_context.js";
import { type Deployment, deploymentId, serviceOutput } from "./_services.js";
import { checkLaunch, type NetworkConfiguration } from "./_tasks.js";
import { findTaskDefinition } from "./describe-task-definition.js";
import { checkLoadBalancers, type ServiceLoadBalancer } from "./_load-balancers.js";

export interface DeploymentConfiguration {
  maximumPercent?: number;
  minimumHealthyPercent?: number;
  deploymentCircuitBreaker?: { enable: boolean; rollback: boolean };
}

export interface CreateServiceInput {
  cluster?: string;
  serviceName: string;
  taskDefinition?: string;
  desiredCount?: number;
  launchType?: string;
  capacityProviderStrategy?: { capacityProvider: string }[];
  platformVersion?: string;
  networkConfiguration?: NetworkConfiguration;
  deploymentConfiguration?: DeploymentConfiguration;
  loadBalancers?: ServiceLoadBalancer[];
  serviceRegistries?: unknown[];
  schedulingStrategy?: string;
  availabilityZoneRebalancing?: string;
  healthCheckGracePeriodSeconds?: number;
  tags?: Tag[];
  propagateTags?: string;
  enableECSManagedTags?: boolean;
  clientToken?: string;
}

export function deploymentConfigurationOf(input: DeploymentConfiguration | undefined, previous?: DeploymentConfiguration): Required<DeploymentConfiguration> {
  return {
    maximumPercent: input?.maximumPercent ?? previous?.maximumPercent ?? 200,
    minimumHealthyPercent: input?.minimumHealthyPercent ?? previous?.minimumHealthyPercent ?? 100,
    deploymentCircuitBreaker: input?.deploymentCircuitBreaker ?? previous?.deploymentCircuitBreaker ?? { enable: false, rollback: false },
  };
}

export function createService(context: EcsContext, input: CreateServiceInput, _call?: CallContext) {
  const { store } = context;
  return store.transaction(() => {
    const cluster = requireCluster(context, input.cluster).metadata.name;
    // unverified text
    if (input.schedulingStrategy === "DAEMON") throw parameterError("The DAEMON scheduling strategy does not support the FARGATE launch type.");
    if (!input.taskDefinition) throw parameterError("TaskDefinition must be specified.");
    const definition = findTaskDefinition(context, input.taskDefinition);
    if (!definition) throw parameterError("TaskDefinition not found.");
    if (definition.status?.status !== "ACTIVE") throw parameterError("TaskDefinition is inactive");
    const fargateProvider = input.capacityProviderStrategy?.some((item) => item.capacityProvider.startsWith("FARGATE"));
    const { network, platformVersion } = checkLaunch(context, definition, { ...input, launchType: input.launchType ?? (fargateProvider ? "FARGATE" : "EC2") });
    const loadBalancers = checkLoadBalancers(context, definition, input.loadBalancers ?? []);
    const existing = store.get({ kind: serviceKind, namespace: cluster, name: input.serviceName });
    if (existing && existing.status?.status !== "INACTIVE") throw parameterError("Creation of service was not idempotent.");
    if (existing) store.delete({ kind: serviceKind, namespace: cluster, name: input.serviceName });
    const now = context.now().toISOString();
    const networkConfiguration = { awsvpcConfiguration: network };
    const deployment: Deployment = { id: deploymentId(context), taskDefinition: String(definition.spec?.taskDefinitionArn), platformVersion, networkConfiguration, createdAt: now };
    const service = store.create({
      apiVersion: ecsApiVersion,
      kind: serviceKind,
      metadata: { namespace: cluster, name: input.serviceName },
      spec: {
        taskDefinition: definition.spec?.taskDefinitionArn,
        desiredCount: input.desiredCount ?? 0,
        platformVersion: input.platformVersion ?? "LATEST",
        networkConfiguration,
        deploymentConfiguration: deploymentConfigurationOf(input.deploymentConfiguration),
        loadBalancers,
        serviceRegistries: input.serviceRegistries ?? [],
        ...(input.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds } : {}),
        tags: input.tags ?? [],
        propagateTags: input.propagateTags ?? "NONE",
        availabilityZoneRebalancing: input.availabilityZoneRebalancing ?? "DISABLED",
        enableECSManagedTags: input.enableECSManagedTags ?? false,
        deployments: [deployment],
      },
      status: { status: "ACTIVE", deployments: {}, events: [] },
    });
    return { service: serviceOutput(context, service, ["TAGS"]) };
  });
}
