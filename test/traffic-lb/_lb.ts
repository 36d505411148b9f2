// Helpers for the load balancer end-to-end tests: busybox httpd pods that answer with their own
// name, and curl from the host.

import { run } from "../harness.js";

/** A Deployment of busybox httpd pods serving /www on port 80: `/` answers the pod's name, `/index.php` "ok". */
export function webDeployment(name: string, replicas: number): string {
  const script = "mkdir -p /www && hostname > /www/index.html && echo ok > /www/index.php && exec httpd -f -p 80 -h /www";
  return JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: "httpd", image: "busybox", imagePullPolicy: "IfNotPresent", command: ["sh", "-c", script], ports: [{ name: "http", containerPort: 80 }] }] },
      },
    },
  });
}

export interface CurlResult {
  status: number;
  body: string;
}

/** One request from the host, resolving the name through /etc/hosts as any program there does. */
export async function curl(url: string): Promise<CurlResult> {
  const result = await run("curl", ["-s", "-m", "5", "-w", "\n%{http_code}", url], { timeoutMs: 10_000 });
  const lines = result.stdout.split("\n");
  return { status: Number(lines.pop()), body: lines.join("\n") };
}

/** The bodies of `count` requests in a row. */
export async function bodies(url: string, count: number): Promise<string[]> {
  const answers: string[] = [];
  for (let index = 0; index < count; index++) {
    const answer = await curl(url);
    answers.push(answer.status === 200 ? answer.body.trim() : `status ${answer.status}`);
  }
  return answers;
}
