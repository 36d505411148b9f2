// Helpers for the Kubernetes API end-to-end tests: a Moor whose pods stay unscheduled (no
// Fargate profile, so the tests need no sandbox), and the kubelet's one job these tests play
// themselves through the API's status subresource: reporting a pod Running and Ready.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { kubectl, kubectlOk } from "../kubectl.js";

export async function startKubeMoor(): Promise<MoorUnderTest> {
  return startMoor({ env: { MOOR_DEFAULT_PROFILE: "false" } });
}

export function readyStatus(containers: string[]) {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    status: {
      phase: "Running",
      podIP: "10.42.0.9",
      conditions: [
        { type: "Initialized", status: "True", lastTransitionTime: now },
        { type: "ContainersReady", status: "True", lastTransitionTime: now },
        { type: "Ready", status: "True", lastTransitionTime: now },
        { type: "PodScheduled", status: "True", lastTransitionTime: now },
      ],
      containerStatuses: containers.map((name) => ({ name, ready: true, started: true, restartCount: 0, image: "busybox", imageID: "", state: { running: { startedAt: now } } })),
    },
  };
}

/** The node the tests bind pods to: no agent serves it, so its pods are deleted at once. */
export const testNode = "kubelet-played-by-test";

export async function ensureTestNode(moor: MoorUnderTest): Promise<void> {
  const node = { apiVersion: "v1", kind: "Node", metadata: { name: testNode }, status: { conditions: [{ type: "Ready", status: "True" }] } };
  const result = await kubectl(moor, ["create", "-f", "-"], JSON.stringify(node));
  if (result.code !== 0 && !/AlreadyExists/.test(result.stderr)) throw new Error(result.stderr);
}

/**
 * Binds every unbound pod selected by `selector` to the test node (the scheduler's step) and
 * reports it Running and Ready (the kubelet's), through the binding and status subresources.
 */
export async function markReady(moor: MoorUnderTest, selector: string, namespace = "default"): Promise<number> {
  await ensureTestNode(moor);
  const list = JSON.parse(await kubectlOk(moor, ["get", "pods", "-n", namespace, "-l", selector, "-o", "json"]));
  let marked = 0;
  for (const pod of list.items) {
    if (pod.status?.phase === "Running" || pod.metadata.deletionTimestamp) continue;
    if (!pod.spec.nodeName) {
      const binding = { apiVersion: "v1", kind: "Binding", metadata: { name: pod.metadata.name }, target: { kind: "Node", name: testNode } };
      await kubectl(moor, ["create", "--raw", `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/binding`, "-f", "-"], JSON.stringify(binding));
    }
    const names = pod.spec.containers.map((container: any) => container.name);
    const result = await kubectl(moor, ["patch", "pod", pod.metadata.name, "-n", namespace, "--subresource=status", "--type=merge", "-p", JSON.stringify(readyStatus(names))]);
    if (result.code === 0) marked++;
  }
  return marked;
}

export function kubeconfigOf(moor: MoorUnderTest): string {
  return moor.env.KUBECONFIG ?? join(moor.home, "kubeconfig");
}

/** The API's address, CA and token, read from the kubeconfig Moor wrote. */
export function apiAccess(moor: MoorUnderTest): { server: string; ca: string; token: string } {
  const text = readFileSync(kubeconfigOf(moor), "utf8");
  const server = /server: (\S+)/.exec(text)![1]!;
  const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(text)![1]!, "base64").toString("utf8");
  const token = /token: (\S+)/.exec(text)![1]!;
  return { server, ca, token };
}
