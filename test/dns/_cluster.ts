// What the cluster DNS tests share: the manifests of a small application (a client pod, a
// ClusterIP Service with a named port, a StatefulSet behind a headless Service, an ExternalName
// Service) and `nslookup` run inside a pod with kubectl exec.

import { type MoorUnderTest } from "../harness.js";
import { kubectl, kubectlJson, waitFor } from "../kubectl.js";

export const manifests = `
apiVersion: v1
kind: Pod
metadata: { name: client, labels: { app: client } }
spec:
  terminationGracePeriodSeconds: 1
  containers: [{ name: main, image: busybox, command: [sleep, "3600"] }]
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: db }
spec:
  clusterIP: None
  selector: { app: db }
  ports: [{ name: mysql, port: 3306 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 1
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{ name: main, image: busybox, command: [sleep, "3600"], ports: [{ name: mysql, containerPort: 3306 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: mail }
spec: { type: ExternalName, externalName: smtp.example.com }
`;

export interface Lookup {
  code: number;
  output: string;
}

/** `nslookup` inside a pod: through the pod's resolv.conf, or at `server` when given. */
export async function nslookup(moor: MoorUnderTest, pod: string, args: string[]): Promise<Lookup> {
  const result = await kubectl(moor, ["exec", pod, "--", "nslookup", ...args]);
  return { code: result.code, output: result.stdout + result.stderr };
}

/** The addresses in an nslookup answer (the lines after "Name:"). */
export function answeredAddresses(output: string): string[] {
  const answer = output.split(/\n\s*\n/).filter((block) => /Name:/.test(block)).join("\n");
  return [...answer.matchAll(/Address(?: \d+)?:\s*(\d+\.\d+\.\d+\.\d+)(?!:)/g)].map((match) => match[1]!).filter((ip) => !/:53$/.test(ip));
}

export async function readyPod(moor: MoorUnderTest, name: string): Promise<any> {
  return waitFor(`pod ${name} Ready`, async () => {
    const pod = await kubectlJson(moor, ["get", "pod", name]);
    return pod.status?.conditions?.some((condition: any) => condition.type === "Ready" && condition.status === "True") && pod.status.podIP ? pod : undefined;
  }, 90_000);
}
