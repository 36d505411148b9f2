// Shared pieces of the traffic tests: busybox httpd pods that answer with their own name, a
// client pod to ask from, and HTTP requests made inside a pod through kubectl exec, with the test
// image's `http-get` (musl, so names resolve through the pod's resolv.conf: busybox's static
// glibc `wget` dies of SIGSEGV on a name lookup in a pod).

import type { MoorUnderTest } from "../harness.js";
import { kubectl, kubectlJson, kubectlOk, waitFor } from "../kubectl.js";

/** A Deployment of busybox httpd pods on the named port `http` (8080), each answering its name. */
export function webDeployment(name: string, replicas: number): string {
  return JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{
            name: "httpd",
            image: "busybox",
            ports: [{ name: "http", containerPort: 8080 }],
            command: ["sh", "-c", 'mkdir -p /www && hostname > /www/index.html && trap "exit 0" TERM && httpd -f -p 8080 -h /www & wait'],
            readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
          }],
        },
      },
    },
  });
}

export function service(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: "v1", kind: "Service", metadata: { name }, spec: { selector: { app: "web" }, ...spec } });
}

/** A pod to send requests from. */
export async function startClient(moor: MoorUnderTest, name = "client"): Promise<void> {
  await kubectlOk(moor, ["run", name, "--image=busybox", "--restart=Never", "--", "sh", "-c", 'trap "exit 0" TERM; while true; do sleep 0.2; done']);
  const waited = await kubectl(moor, ["wait", "--for=condition=Ready", `pod/${name}`, "--timeout=90s"]);
  if (waited.code !== 0) throw new Error(`client pod not ready: ${waited.stderr}`);
}

/** A shell line asking `http://<address>/`: prints the answer's body (a pod's name), or FAILED. */
function request(address: string, timeoutSeconds: number): string {
  return `{ http-get -t ${timeoutSeconds} http://${address}/ 2>/dev/null || echo FAILED; }`;
}

/**
 * One request from inside a pod to `host[:port]` (an address or a name, resolved through the
 * pod's resolv.conf): the answer's body, or what http-get printed when it failed.
 */
export async function fetchFrom(moor: MoorUnderTest, pod: string, address: string, timeoutSeconds = 2): Promise<{ ok: boolean; text: string }> {
  const result = await kubectl(moor, ["exec", pod, "--", "http-get", "-t", String(timeoutSeconds), `http://${address}/`]);
  return { ok: result.code === 0, text: (result.code === 0 ? result.stdout : `${result.stdout}${result.stderr}`).trim() };
}

/** Many requests in one exec (one line per answer), so that 30 requests take one round trip. */
export async function fetchMany(moor: MoorUnderTest, pod: string, address: string, count: number): Promise<string[]> {
  const script = `i=0; while [ $i -lt ${count} ]; do ${request(address, 2)}; i=$((i+1)); done`;
  const output = await kubectlOk(moor, ["exec", pod, "--", "sh", "-c", script]);
  return output.trim().split("\n");
}

export async function clusterIp(moor: MoorUnderTest, name: string): Promise<string> {
  return (await kubectlJson(moor, ["get", "service", name])).spec.clusterIP;
}

export async function readyPods(moor: MoorUnderTest, app: string): Promise<any[]> {
  const pods = (await kubectlJson(moor, ["get", "pods", "-l", `app=${app}`])).items;
  return pods.filter((pod: any) => !pod.metadata.deletionTimestamp && (pod.status.conditions ?? []).some((condition: any) => condition.type === "Ready" && condition.status === "True"));
}

export async function waitReady(moor: MoorUnderTest, app: string, count: number): Promise<any[]> {
  return waitFor(`${count} ready ${app} pods`, async () => {
    const pods = await readyPods(moor, app);
    return pods.length === count ? pods : undefined;
  }, 120_000);
}
