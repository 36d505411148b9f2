// bench/ecs: how fast an ECS task on Moor goes from RunTask to RUNNING, against a built Moor
// (`moor up` in a temp data directory), beside a baseline from the same run: the same sandbox
// (a pod naming its subnet, as the ECS controller writes it) created straight through the kube
// API, from POST to a running container.
//   node dist/bench/ecs.js [--sequential 20] [--concurrent 50]
// (1) sequential: one task at a time, RunTask → DescribeTasks says RUNNING (polled every
//     10 ms), then StopTask and wait for STOPPED untimed; the baseline pod likewise.
// (2) concurrent: `--concurrent` tasks started at once (RunTask takes at most 10 a call, so
//     that many calls in parallel), each task's time to RUNNING and the time until all run;
//     the same number of baseline pods posted at once.
// Goal (issue 13): run-task → RUNNING p50 ≤ 1 s (Fargate averages about 57 s for a 413 MB image).

import { readFileSync } from "node:fs";
import { request } from "node:https";
import { parseArgs } from "node:util";
import { CreateClusterCommand, DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import { startMoor } from "../test/harness.js";
import { ecsClient, privateSubnets } from "../test/ecs/_ecs.js";

const { values } = parseArgs({ options: { sequential: { type: "string", default: "20" }, concurrent: { type: "string", default: "50" } } });
const sequential = Number(values.sequential);
const concurrent = Number(values.concurrent);
const pollMs = 10;
const runTaskCountMax = 10;

const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const summary = (samples: number[]) => `p50 ${percentile(samples, 50).toFixed(0)} ms, p99 ${percentile(samples, 99).toFixed(0)} ms (n=${samples.length})`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const moor = await startMoor();
const ecs = ecsClient(moor);
const kubeconfig = readFileSync(moor.env.KUBECONFIG!, "utf8");
const kube = {
  server: /server: (\S+)/.exec(kubeconfig)![1]!,
  token: /token: (\S+)/.exec(kubeconfig)![1]!,
  ca: Buffer.from(/certificate-authority-data: (\S+)/.exec(kubeconfig)![1]!, "base64"),
};

function kubeCall(method: string, path: string, body?: object): Promise<{ status: number; json: any }> {
  const url = new URL(path, kube.server);
  return new Promise((resolve, reject) => {
    const call = request(url, { method, ca: kube.ca, headers: { authorization: `Bearer ${kube.token}`, "content-type": "application/json" } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") }));
    });
    call.on("error", reject);
    call.end(body ? JSON.stringify(body) : undefined);
  });
}

const definition = { family: "bench", networkMode: "awsvpc" as const, requiresCompatibilities: ["FARGATE" as const], cpu: "256", memory: "512", containerDefinitions: [{ name: "main", image: "busybox", command: ["sleep", "3600"], stopTimeout: 1 }] };
const network = { awsvpcConfiguration: { subnets: privateSubnets } };

async function lastStatuses(arns: string[]): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  for (let start = 0; start < arns.length; start += 100) {
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: "bench", tasks: arns.slice(start, start + 100) }));
    for (const task of tasks ?? []) statuses.set(task.taskArn!, task.lastStatus!);
  }
  return statuses;
}

/** Polls until every item is done; returns each one's time from `started`. */
async function timeUntil<T>(items: T[], started: Map<T, number>, done: () => Promise<(item: T) => boolean>): Promise<number[]> {
  const times = new Map<T, number>();
  while (times.size < items.length) {
    const isDone = await done();
    const now = performance.now();
    for (const item of items) if (!times.has(item) && isDone(item)) times.set(item, now - started.get(item)!);
    if (times.size < items.length) await sleep(pollMs);
  }
  return items.map((item) => times.get(item)!);
}

async function runTasks(count: number): Promise<number[]> {
  const started = new Map<string, number>();
  const calls = Array.from({ length: Math.ceil(count / runTaskCountMax) }, (_, index) => Math.min(runTaskCountMax, count - index * runTaskCountMax));
  const arns = (
    await Promise.all(
      calls.map(async (size) => {
        const before = performance.now();
        const { tasks } = await ecs.send(new RunTaskCommand({ cluster: "bench", taskDefinition: "bench", count: size, launchType: "FARGATE", networkConfiguration: network }));
        return (tasks ?? []).map((task) => (started.set(task.taskArn!, before), task.taskArn!));
      }),
    )
  ).flat();
  const times = await timeUntil(arns, started, async () => {
    const statuses = await lastStatuses(arns);
    return (arn) => statuses.get(arn) === "RUNNING";
  });
  await Promise.all(arns.map((arn) => ecs.send(new StopTaskCommand({ cluster: "bench", task: arn }))));
  await timeUntil(arns, new Map(arns.map((arn) => [arn, 0])), async () => {
    const statuses = await lastStatuses(arns);
    return (arn) => statuses.get(arn) === "STOPPED";
  });
  return times;
}

let podSerial = 0;
async function runPods(count: number): Promise<number[]> {
  const started = new Map<string, number>();
  const names = Array.from({ length: count }, () => `bench-${++podSerial}`);
  await Promise.all(
    names.map(async (name, index) => {
      const pod = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, annotations: { "moor.dev/subnet-ids": privateSubnets[index % privateSubnets.length] } },
        spec: { restartPolicy: "Never", terminationGracePeriodSeconds: 1, containers: [{ name: "main", image: "busybox", imagePullPolicy: "IfNotPresent", command: ["sleep", "3600"], resources: { requests: { cpu: "250m", memory: "256Mi" } } }] },
      };
      started.set(name, performance.now());
      const created = await kubeCall("POST", "/api/v1/namespaces/default/pods", pod);
      if (created.status !== 201) throw new Error(`creating pod ${name} failed: ${JSON.stringify(created.json)}`);
    }),
  );
  const times = await timeUntil(names, started, async () => {
    const pods = (await kubeCall("GET", "/api/v1/namespaces/default/pods")).json.items as any[];
    const runningNames = new Set(pods.filter((pod) => pod.status?.containerStatuses?.[0]?.state?.running).map((pod) => pod.metadata.name));
    return (name) => runningNames.has(name);
  });
  await Promise.all(names.map((name) => kubeCall("DELETE", `/api/v1/namespaces/default/pods/${name}`)));
  await timeUntil(names, new Map(names.map((name) => [name, 0])), async () => {
    const pods = (await kubeCall("GET", "/api/v1/namespaces/default/pods")).json.items as any[];
    const left = new Set(pods.map((pod) => pod.metadata.name));
    return (name) => !left.has(name);
  });
  return times;
}

try {
  await ecs.send(new CreateClusterCommand({ clusterName: "bench" }));
  await ecs.send(new RegisterTaskDefinitionCommand(definition));
  await runTasks(1);
  await runPods(1);
  const taskTimes: number[] = [];
  const podTimes: number[] = [];
  for (let index = 0; index < sequential; index++) {
    taskTimes.push(...(await runTasks(1)));
    podTimes.push(...(await runPods(1)));
  }
  console.log(`sequential, run-task → RUNNING:        ${summary(taskTimes)}`);
  console.log(`sequential, baseline pod → running:    ${summary(podTimes)}`);
  const wallTasks = performance.now();
  const manyTasks = await runTasks(concurrent);
  console.log(`${concurrent} tasks at once, each → RUNNING:  ${summary(manyTasks)}; all running after ${Math.max(...manyTasks).toFixed(0)} ms (run ${((performance.now() - wallTasks) / 1000).toFixed(1)} s with stops)`);
  const manyPods = await runPods(concurrent);
  console.log(`${concurrent} baseline pods at once, each:     ${summary(manyPods)}; all running after ${Math.max(...manyPods).toFixed(0)} ms`);
} finally {
  ecs.destroy();
  await moor.dispose();
}
