// The Kubernetes API front end: what kubectl 1.32 and @kubernetes/client-node drive, over the
// store. HTTPS on 127.0.0.1 (config.kubePort) with a CA and a bearer token generated once into
// the data directory, a kubeconfig written beside them, discovery, the OpenAPI v3 stub, tables,
// the verbs on every served kind, watches resumable by revision, logs and exec through the node
// agent's PodIO port.
//
// Lifecycle: `createKubeApi(...)` builds it; `start()` makes sure the system namespaces and the
// `kubernetes` service exist, listens and writes the kubeconfig; `stop()` closes every stream.

import { join } from "node:path";
import type { PodIO } from "../../agent/mod.js";
import type { MoorConfig } from "../../config/mod.js";
import { paths } from "../../config/mod.js";
import { applyDefaults, initialStatus } from "../../domain/kube/mod.js";
import type { EfsService } from "../../services/efs/mod.js";
import type { EksService } from "../../services/eks/mod.js";
import type { Store, StoredObject } from "../../store/mod.js";
import type { ApiContext } from "./_context.js";
import { ensureCredentials, writeKubeconfig } from "./_credentials.js";
import { execSockets } from "./_exec.js";
import { stopPortForwards } from "./_portforward.js";
import { createApiServer } from "./_server.js";

export interface KubeApiOptions {
  store: Store;
  config: MoorConfig;
  /** The services that own FileSystem, AccessPoint, MountTarget and FargateProfile objects. */
  efs: EfsService;
  eks: EksService;
  /** The node agent's logs/exec port; read on each request so it can be wired after the API. */
  podIO?: () => PodIO | undefined;
  /** Accepts bearer tokens besides the kubeconfig's static one; true when the token is good. */
  verifyToken?: (token: string) => boolean;
  now?: () => Date;
}

export interface KubeApi {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The port it listens on (config.kubePort, or the one the OS chose for 0). */
  port(): number;
  /** Its URL and the base64 of its CA's PEM, as EKS's DescribeCluster reports them. */
  endpoint(): { url: string; certificateAuthority: string };
}

export const systemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** What `moor up` records in the run file so `moor env` and `moor status` can point at the API. */
export function kubeRunInfo(config: MoorConfig): { kubePort: number; kubeconfig: string } {
  return { kubePort: config.kubePort, kubeconfig: paths(config).kubeconfig };
}

export function credentialsDirectory(config: MoorConfig): string {
  return join(config.home, "kube");
}

export function createKubeApi(options: KubeApiOptions): KubeApi {
  const { store, config } = options;
  const api: ApiContext = {
    store,
    config,
    efs: options.efs,
    eks: options.eks,
    now: options.now ?? (() => new Date()),
    random: Math.random,
    podIO: options.podIO ?? (() => undefined),
  };
  let listeningPort = config.kubePort;
  const credentials = { ...ensureCredentials(credentialsDirectory(config)), ...(options.verifyToken ? { verifyToken: options.verifyToken } : {}) };
  const server = createApiServer(api, credentials, () => `${config.host}:${listeningPort}`);
  return {
    name: "kube-api",
    port: () => listeningPort,
    endpoint: () => ({ url: `https://${config.host}:${listeningPort}`, certificateAuthority: Buffer.from(credentials.caCert).toString("base64") }),
    async start() {
      bootstrap(store);
      await server.start();
      listeningPort = server.port ?? config.kubePort;
      writeKubeconfig(paths(config).kubeconfig, { server: `https://${config.host}:${listeningPort}`, caCert: credentials.caCert, token: credentials.token });
    },
    async stop() {
      for (const client of execSockets.clients) client.terminate();
      stopPortForwards();
      await server.stop();
    },
  };
}

function ensure(store: Store, object: StoredObject): void {
  if (store.get({ kind: object.kind, namespace: object.metadata.namespace ?? "", name: object.metadata.name })) return;
  applyDefaults(object);
  object.status = initialStatus(object);
  store.create(object);
}

/** The objects every cluster has from its first second, as upstream's API server creates them. */
function bootstrap(store: Store): void {
  store.transaction(() => {
    for (const name of systemNamespaces) ensure(store, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    ensure(store, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
      spec: { type: "ClusterIP", clusterIP: "10.100.0.1", clusterIPs: ["10.100.0.1"], ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 443 }] },
    });
  });
}
