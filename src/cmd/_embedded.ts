// The embedded Moor: every part in one process, state under one data directory. This file is
// the only place that chooses implementations and connects them.

import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { MoorConfig } from "../config/mod.js";
import { paths } from "../config/mod.js";
import { openSqliteStore } from "../store/mod.js";
import type { Store } from "../store/mod.js";
import type { Component } from "../component/mod.js";
import { moorApiRoutes } from "./_api-routes.js";
import { createMoorApi } from "../frontends/moor/mod.js";
import { createProfileController } from "../controllers/profiles/mod.js";
import { createBlockVolumeAttachments, createEfsAccessPoints, createVolumeController, ensureBlockStorageClasses, ensureCsiDriver } from "../controllers/volumes/mod.js";
import { createBlockVolumeProvider } from "../engines/blockvolumes/mod.js";
import { blockVolumeEngine } from "./_block-volumes.js";
import { createScheduler } from "../controllers/scheduler/mod.js";
import { FileSystemController } from "../controllers/filesystems/mod.js";
import { createFileSystemEngine } from "../engines/filesystems/mod.js";
import { AwsServer, type ServiceModule } from "../frontends/aws/mod.js";
import { createEfsApi } from "../frontends/aws/efs/mod.js";
import { createEfsService } from "../services/efs/mod.js";
import { createIamService, roleKind } from "../services/iam/mod.js";
import { clusterName, createEksService, type KubeEndpoint } from "../services/eks/mod.js";
import { createEc2Service } from "../services/ec2/mod.js";
import { createEcsService } from "../services/ecs/mod.js";
import { createElbv2Service, type Elbv2Service } from "../services/elbv2/mod.js";
import { createSecurityGroupController } from "../controllers/securitygroups/mod.js";
import { SecurityGroupFirewall, VpcNetwork } from "../agent/network/mod.js";
import { embeddedVpc } from "../domain/network/mod.js";
import type { TaskMetadata } from "../domain/ecs/mod.js";
import { createStsService, type StsService } from "../services/sts/mod.js";
import { createRdsService } from "../services/rds/mod.js";
import { createRdsController } from "../controllers/rds/mod.js";
import { rdsServerImages } from "./_rds.js";
import { createKubeApi, type KubeApi, kubeRunInfo } from "../frontends/kube/mod.js";
import { accessKeyId, secretAccessKey } from "./_env.js";
import { createWorkloadControllers } from "../controllers/workloads/mod.js";
import { systemClock } from "../clock/mod.js";
import { createNodeAgent } from "../agent/mod.js";
import { createLoadBalancerController, ensureAlbIngressClass } from "../controllers/loadbalancers/mod.js";
import { LoadBalancerEngine } from "../engines/loadbalancers/mod.js";
import { createLocalAgentPort } from "../controllers/agent-port/mod.js";
import { createNodeLifecycleController } from "../controllers/nodes/mod.js";
import { createServiceProxy } from "../controllers/service-proxy/mod.js";
import { ServiceDatapath } from "../agent/network/mod.js";
import { FuseEngine, prepareMountRoot } from "../engines/fuse/mod.js";
import { createPodVolumeProvider, MountEngine, releaseMountRoot } from "../engines/mount/mod.js";
import { readRunFile, removeRunFile, writeRunFile } from "./_runfile.js";
import { createDnsController } from "../controllers/dns/mod.js";
import { createEcsController, TargetHealthWatcher } from "../controllers/ecs/mod.js";
import { DnsServer } from "../engines/dns/mod.js";
import { createEcrService } from "../services/ecr/mod.js";
import { buildEcr, registryAccess, registryTokenSecret } from "./_ecr.js";
import { openLogEngine } from "../engines/logs/mod.js";
import { createLogsService } from "../services/logs/mod.js";
import { createAwsLogsController } from "../controllers/awslogs/mod.js";
import { createInstanceController, InstanceMounts, instanceNamespace } from "../controllers/instances/mod.js";
import { type CredentialsRequest, MetadataServer, type TaskCredentials } from "../engines/metadata/mod.js";
import { ensureInstanceImage, instanceImageReference, machineCacheDirectory } from "../engines/builder/mod.js";

export interface EmbeddedMoor {
  store: Store;
  stop(): Promise<void>;
}

export async function startEmbedded(config: MoorConfig): Promise<EmbeddedMoor> {
  const files = paths(config);
  const running = readRunFile(files.runFile);
  if (running && running.pid !== process.pid) {
    throw new Error(`Cannot start Moor: it already runs for "${config.home}" as pid ${running.pid}`);
  }
  mkdirSync(config.home, { recursive: true });
  mkdirSync(config.backingRoot, { recursive: true });
  const store = openSqliteStore(files.database);
  const components = buildComponents(config, store);
  const started: Component[] = [];
  const stop = async () => {
    for (const component of started.reverse()) await stopComponent(component);
    store.close();
    removeRunFile(files.runFile, process.pid);
  };
  try {
    for (const component of components) {
      await component.start();
      started.push(component);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  writeRunFile(files.runFile, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    host: config.host,
    awsPort: config.awsPort,
    ...kubeRunInfo(config),
    region: config.region,
  });
  return { store, stop };
}

const componentStopTimeoutMs = 20_000;

/** Stops one component; a stop that fails or hangs is reported and the others still stop. */
async function stopComponent(component: Component): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), componentStopTimeoutMs)));
  const outcome = await Promise.race([component.stop().then(() => "stopped" as const), timeout]).catch((error) => {
    console.error(`moor: stopping ${component.name} failed:`, error);
    return "failed" as const;
  });
  clearTimeout(timer);
  if (outcome === "timeout") console.error(`moor: stopping ${component.name} took over ${componentStopTimeoutMs / 1000} s; going on without it`);
}

/** AWS services whose requests get a named refusal in their own protocol until a module serves them. */
const awsRefused = ["sts", "ec2", "eks"];

/** The model-driven AWS services (src/frontends/aws/protocols): one line each. */
function awsModules(config: MoorConfig, store: Store, elbv2: Elbv2Service): ServiceModule[] {
  return [
    createIamService({ store, accountId: config.accountId }),
    createEcrService({ store, accountId: config.accountId, tokenSecret: registryTokenSecret(config) }),
    createRdsService({ store, region: config.region, accountId: config.accountId }),
    createEcsService({ store, region: config.region, accountId: config.accountId, targetGroup: (arn) => elbv2.targetGroup(arn) }),
  ];
}

/** EKS and STS, and the kube API's check of `aws eks get-token` tokens through STS. */
function buildEks(config: MoorConfig, store: Store, kubeEndpoint: () => KubeEndpoint) {
  const eks = createEksService({ store, region: config.region, accountId: config.accountId, kubeEndpoint });
  eks.ensureDefaultCluster({ profile: config.defaultProfile });
  const roleId = (arn: string) => store.list(roleKind).items.find((role) => role.spec?.arn === arn)?.spec?.roleId as string | undefined;
  const sts = createStsService({ accountId: config.accountId, secretOf: (key) => (key === accessKeyId ? secretAccessKey : undefined), clusterNames: eks.clusterNames, roleId, store });
  const verifyToken = (token: string) => {
    try {
      sts.verifyEksToken(token);
      return true;
    } catch {
      return false;
    }
  };
  return { eks, sts, verifyToken };
}

/**
 * Cluster DNS answers at the VPC resolver address inside the VPC namespace; kube-dns's Endpoints
 * point there. Its controller comes before the kube API (kube-dns takes 10.100.0.10 first), its
 * server before the agent, so that it stops after it: while the agent leaves the VPC namespace
 * in place (pods still run), the server goes on answering without Moor.
 */
function buildDns(config: MoorConfig, store: Store, agent: ReturnType<typeof createNodeAgent>) {
  const vpc = agent.vpc;
  const dnsServer = new DnsServer({
    namespace: vpc.namespace,
    addresses: [vpc.resolver],
    prepare: () => vpc.ensureVpc(),
    pidFile: join(config.home, "dns.pid"),
    logFile: join(config.home, "dns.log"),
    keepRunning: () => existsSync(vpc.namespacePath(vpc.namespace)),
  });
  const dnsController = createDnsController({
    store,
    clock: systemClock,
    region: config.region,
    subnets: embeddedVpc(config.region).subnets,
    serverAddress: vpc.resolver,
    publish: (records) => dnsServer.publish(records),
  });
  return { dnsServer, dnsController };
}

/** A task role's credentials, as ECS's endpoint answers them: six hours, as ECS's last. */
function taskCredentials(sts: StsService, request: CredentialsRequest): TaskCredentials {
  const issued = sts.issueRoleCredentials({ ...request, durationSeconds: 6 * 3600 });
  return { AccessKeyId: issued.AccessKeyId, SecretAccessKey: issued.SecretAccessKey, Token: issued.SessionToken, Expiration: issued.Expiration.toISOString().replace(/\.\d{3}Z$/, "Z"), RoleArn: request.roleArn };
}

/** ECS's controller and its watch of target health; the service is stateless beyond the store, so its instance is the front end's twin. */
function ecsControllers(config: MoorConfig, store: Store, metadata: MetadataServer, elbv2: Elbv2Service) {
  const ecs = createEcsService({ store, region: config.region, accountId: config.accountId, targetGroup: (arn) => elbv2.targetGroup(arn) });
  const publishTaskMetadata = (tasks: TaskMetadata[]) => metadata.publishTasks(tasks);
  return [
    createEcsController({ store, clock: systemClock, region: config.region, accountId: config.accountId, ecs, publishTaskMetadata, targetGroups: elbv2 }),
    new TargetHealthWatcher({ store, clock: systemClock, ecs, targetGroups: elbv2 }),
  ];
}

/** An EC2 instance's console: its pod's log, as `kubectl logs -n aws-ec2 <id>` shows it. */
async function instanceConsole(agent: ReturnType<typeof createNodeAgent>, instanceId: string): Promise<string> {
  let text = "";
  for await (const chunk of await agent.io.logs({ namespace: instanceNamespace, name: instanceId }, "instance", {})) text += String(chunk);
  return text;
}

/** Moor's EC2 instance image in the agent's store, made once per process on first need. */
function instanceImage(agent: ReturnType<typeof createNodeAgent>): () => Promise<string> {
  let made: Promise<string> | undefined;
  return () => {
    made ??= ensureInstanceImage(agent.images(), { cacheDirectory: machineCacheDirectory(), output: (line) => console.log(`moor: ${line}`) }).then(
      () => instanceImageReference,
      (error: unknown) => {
        made = undefined;
        throw error;
      },
    );
    return made;
  };
}

/** The mount engine's life: pod mounts and their FUSE daemons outlive a stop (DESIGN decision 14). */
function mountEngineComponent(mountsRoot: string, fuse: FuseEngine, mounts: MountEngine, instanceMounts: InstanceMounts): Component {
  return {
    name: "mount-engine",
    start: async () => {
      mkdirSync(mountsRoot, { recursive: true });
      await prepareMountRoot(mountsRoot);
      await fuse.adopt();
      await instanceMounts.adopt();
    },
    stop: async () => {
      await mounts.stop();
      await fuse.stop({ keep: (mountPoint) => mounts.isPodMount(mountPoint) });
      await releaseMountRoot(mountsRoot);
    },
  };
}

function buildComponents(config: MoorConfig, store: Store): Component[] {
  // The kube API is built below; DescribeCluster reads its endpoint only once it serves.
  let kube: KubeApi | undefined;
  const { eks, sts, verifyToken } = buildEks(config, store, () => kube!.endpoint());
  ensureCsiDriver(store);
  ensureBlockStorageClasses(store);
  let agent: ReturnType<typeof createNodeAgent> | undefined;
  const ec2 = createEc2Service({ store, region: config.region, accountId: config.accountId, clusterName, console: (id) => instanceConsole(agent!, id) });
  ec2.ensureEmbeddedObjects();
  const fileSystems = createFileSystemEngine({ backingRoot: config.backingRoot });
  const efs = createEfsService({ store, region: config.region, accountId: config.accountId });
  const accessPoints = createEfsAccessPoints(efs, config.backingRoot);
  // Its daemons outlive Moor; the next Moor finds them by their sockets there (DESIGN decision 14).
  const fuse = new FuseEngine({ stateDirectory: join(config.home, "run", "fuse") });
  const mounts = new MountEngine({
    store,
    backingRoot: config.backingRoot,
    client: { region: config.region, accountId: config.accountId, principalArn: `arn:aws:iam::${config.accountId}:role/moor-efs-client` },
    enforced: { mount: (options) => fuse.mount(options) },
    onBytesWritten: (fileSystemId, deltaBytes) => fileSystems.meter.reportWritten(fileSystemId, deltaBytes),
  });
  const mountsRoot = paths(config).mounts;
  const blockVolumes = blockVolumeEngine(config);
  const attachments = createBlockVolumeAttachments(store, systemClock);
  const volumes = createBlockVolumeProvider({ engine: blockVolumes, attachments, podsRoot: join(mountsRoot, "pods"), next: createPodVolumeProvider(mounts, join(mountsRoot, "pods")) });
  agent = createNodeAgent({ port: createLocalAgentPort(store, { agentName: config.agentName }), config, volumes, registryAccess: registryAccess(config) });
  const vpc = new VpcNetwork(config.home, config.region);
  const proxy = new LoadBalancerEngine({ runDir: join(config.home, "run", "loadbalancers"), namespace: vpc.namespace, digest: vpc.digest, prepare: () => vpc.ensureVpc() });
  ensureAlbIngressClass(store);
  const elbv2 = createElbv2Service({ store, region: config.region, accountId: config.accountId, checks: () => proxy.checks() });
  kube = createKubeApi({ store, config, efs, eks, verifyToken, podIO: () => agent.io });
  const { dnsServer, dnsController } = buildDns(config, store, agent);
  // EFS in instances: their mount helpers ask through the metadata service.
  const instanceMounts = new InstanceMounts({ store, engine: mounts, pods: () => agent.io, root: join(mountsRoot, "instances"), region: config.region });
  const metadata = new MetadataServer({ namespace: agent.vpc.namespace, prepare: () => agent.vpc.ensureVpc(), issueCredentials: (request) => taskCredentials(sts, request), onMount: (call) => instanceMounts.handle(call) });
  const logEvents = openLogEngine(join(config.home, "cloudwatch-logs.db"));
  const logs = createLogsService({ store, events: logEvents, region: config.region, accountId: config.accountId });
  return [
    { name: "log-engine", start: async () => {}, stop: async () => logEvents.close() },
    efs,
    new FileSystemController({ store, engine: fileSystems, clock: systemClock }),
    new AwsServer({ host: config.host, port: config.awsPort, services: [createEfsApi(efs)], modules: [...awsModules(config, store, elbv2), ec2, eks, sts, logs, elbv2], refused: awsRefused, region: config.region, accountId: config.accountId }),
    mountEngineComponent(mountsRoot, fuse, mounts, instanceMounts),
    createMoorApi(paths(config).socket, moorApiRoutes(config, eks, mounts)),
    createProfileController({ store, config, agentName: config.agentName, clock: systemClock }),
    createScheduler({ store, config, agentName: config.agentName, clock: systemClock }),
    createVolumeController({ store, accessPoints, clusterName, clock: systemClock, blockVolumes }),
    createRdsController({ store, clock: systemClock, region: config.region, accountId: config.accountId, images: rdsServerImages(config, () => agent.images(), systemClock) }),
    ...ecsControllers(config, store, metadata, elbv2),
    dnsController,
    kube,
    createWorkloadControllers({ store, clock: systemClock }),
    createNodeLifecycleController({ store, clock: systemClock }),
    createSecurityGroupController({ store, vpc: embeddedVpc(config.region), firewall: new SecurityGroupFirewall(vpc), clock: systemClock }),
    { name: "load-balancer-proxy", start: async () => {}, stop: () => proxy.stop() },
    createLoadBalancerController({ store, clock: systemClock, proxy, region: config.region, accountId: config.accountId, clusterName, homeDigest: vpc.digest }),
    dnsServer,
    ...buildEcr(config, store, vpc.digest),
    agent,
    createServiceProxy({ store, clock: systemClock, datapath: new ServiceDatapath(config.home, config.region) }),
    createAwsLogsController({ store, clock: systemClock, logs, podIO: () => agent.io, progress: logEvents, accountId: config.accountId, region: config.region }),
    metadata,
    createInstanceController({ store, clock: systemClock, ensureImage: instanceImage(agent), publishMetadata: (instances) => metadata.publish(instances), releaseMounts: (id) => instanceMounts.release(id), region: config.region, accountId: config.accountId }),
  ];
}
