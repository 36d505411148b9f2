// Drives a real node agent (runc, CNI, overlayfs, SQLite store) in a temp data directory:
// nodes and pods are written to the store as the scheduler and the Kubernetes API would.

import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { loadConfig } from "../../src/config/mod.js";
import { openSqliteStore, type Store, type StoredObject } from "../../src/store/mod.js";
import { createNodeAgent, type NodeAgentComponent, type NodeAgentOptions } from "../../src/agent/mod.js";
import { createLocalAgentPort } from "../../src/controllers/agent-port/mod.js";

export interface AgentUnderTest {
  home: string;
  store: Store;
  agent: NodeAgentComponent;
  options: NodeAgentOptions;
  /** A Fargate node as the scheduler makes it, with the pod's address. */
  fargateNode(ip: string, zone?: string): StoredObject;
  nodeGroupNode(name: string, zone?: string): StoredObject;
  createPod(name: string, nodeName: string, spec: Record<string, unknown>, metadata?: Record<string, unknown>): StoredObject;
  pod(name: string): StoredObject | undefined;
  waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** What the Kubernetes API does on delete: mark the pod; the agent stops it and removes it. */
  deletePod(name: string, graceSeconds?: number): void;
  events(name: string): StoredObject[];
  restartAgent(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startAgent(overrides: Partial<NodeAgentOptions> = {}): Promise<AgentUnderTest> {
  const home = mkdtempSync(join(tmpdir(), "moor-agent-"));
  const config = loadConfig({ MOOR_HOME: home });
  const store = openSqliteStore(join(home, "state.db"));
  const options: NodeAgentOptions = {
    port: createLocalAgentPort(store, { agentName: "embedded" }),
    config,
    timing: { backoffBaseMs: 500, backoffMaxMs: 4000, killWaitMs: 3000 },
    heartbeatMs: 1000,
    ...overrides,
  };
  let agent = createNodeAgent(options);
  await agent.start();

  const harness: AgentUnderTest = {
    home,
    store,
    get agent() {
      return agent;
    },
    options,
    fargateNode(ip, zone = "us-east-1a") {
      const name = `fargate-ip-${ip.replaceAll(".", "-")}.ec2.internal`;
      return store.create({
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name,
          labels: {
            "eks.amazonaws.com/compute-type": "fargate",
            "moor.dev/agent": "embedded",
            "topology.kubernetes.io/zone": zone,
            "topology.kubernetes.io/region": "us-east-1",
          },
        },
        spec: { taints: [{ key: "eks.amazonaws.com/compute-type", value: "fargate", effect: "NoSchedule" }] },
        status: { addresses: [{ type: "InternalIP", address: ip }] },
      });
    },
    nodeGroupNode(name, zone = "us-east-1b") {
      return store.create({
        apiVersion: "v1",
        kind: "Node",
        metadata: { name, labels: { "moor.dev/node-group": "workers", "moor.dev/agent": "embedded", "topology.kubernetes.io/zone": zone } },
        spec: {},
        status: { addresses: [{ type: "InternalIP", address: "10.42.16.10" }] },
      });
    },
    createPod(name, nodeName, spec, metadata = {}) {
      return store.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: "default", ...metadata },
        spec: { restartPolicy: "Always", terminationGracePeriodSeconds: 2, ...spec, nodeName },
        status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "True" }] },
      });
    },
    pod(name) {
      return store.get({ kind: "Pod", namespace: "default", name });
    },
    async waitFor(what, probe, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value) return value as never;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    deletePod(name, graceSeconds = 2) {
      const pod = store.get({ kind: "Pod", namespace: "default", name });
      if (!pod) return;
      store.update({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: graceSeconds } });
    },
    events(name) {
      return store.list("Event", { namespace: "default" }).items.filter((event) => event.involvedObject?.name === name);
    },
    async restartAgent() {
      await agent.stop();
      agent = createNodeAgent(options);
      await agent.start();
    },
    async dispose() {
      for (const pod of store.list("Pod").items) harness.deletePod(pod.metadata.name, 0);
      await harness.waitFor("every pod to be removed", () => store.list("Pod").items.length === 0, 30_000).catch(() => undefined);
      await agent.stop();
      store.close();
      const digest = createHash("sha256").update(home).digest("hex").slice(0, 8);
      try {
        execFileSync("ip", ["netns", "del", `moor-vpc-${digest}`], { stdio: "ignore" });
      } catch {
        // Already gone.
      }
      for (const hierarchy of readdirSync("/sys/fs/cgroup")) {
        try {
          rmdirSync(join("/sys/fs/cgroup", hierarchy, `moor-${digest}`));
        } catch {
          // Never made in this hierarchy.
        }
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
  return harness;
}

export function containerStatus(pod: StoredObject | undefined, name: string): any {
  return [...(pod?.status?.containerStatuses ?? []), ...(pod?.status?.initContainerStatuses ?? [])].find((status: any) => status.name === name);
}

export function condition(pod: StoredObject | undefined, type: string): string | undefined {
  return pod?.status?.conditions?.find((entry: any) => entry.type === type)?.status;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

export async function execIn(moor: AgentUnderTest, pod: string, command: string[], options: { container?: string; stdin?: string; tty?: boolean } = {}) {
  const session = await moor.agent.io.exec({ namespace: "default", name: pod }, options.container, command, { stdin: options.stdin !== undefined, tty: !!options.tty });
  if (options.stdin !== undefined) session.stdin!.end(options.stdin);
  const [stdout, stderr, exit] = await Promise.all([readAll(session.stdout), session.stderr ? readAll(session.stderr) : Promise.resolve(""), session.exit]);
  return { stdout, stderr, code: exit.code };
}

export async function logsOf(moor: AgentUnderTest, pod: string, options: Record<string, unknown> = {}, container?: string): Promise<string> {
  return readAll(await moor.agent.io.logs({ namespace: "default", name: pod }, container, options));
}

/** Waits until the pod's log holds the text (monitors write asynchronously). */
export async function waitForLog(moor: AgentUnderTest, pod: string, text: string, container?: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const logs = await logsOf(moor, pod, {}, container).catch(() => "");
    if (logs.includes(text)) return logs;
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}" in the log of ${pod}; it has:\n${logs}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function ready(moor: AgentUnderTest, name: string) {
  return moor.waitFor(`${name} to be Ready`, () => {
    const pod = moor.pod(name);
    return condition(pod, "Ready") === "True" && pod;
  });
}

export const busybox = { image: "busybox", imagePullPolicy: "IfNotPresent" };
