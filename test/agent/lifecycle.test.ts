import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { busybox, condition, containerStatus, execIn, logsOf, ready, startAgent, type AgentUnderTest } from "./_harness.js";

describe("node agent: container lifecycle", () => {
  let moor: AgentUnderTest;
  let nextIp = 100;
  const node = () => moor.fargateNode(`10.42.0.${nextIp++}`).metadata.name;
  before(async () => {
    moor = await startAgent();
  });
  after(async () => {
    await moor?.dispose();
  });

  it("OOM-kills a container that goes over the pod's Fargate memory size and reports OOMKilled", async () => {
    // 0.5 GB pod: doubling a string passes it within a second.
    moor.createPod("hungry", node(), {
      restartPolicy: "Never",
      containers: [{ name: "main", ...busybox, command: ["awk", "BEGIN { s = \"xxxxxxxxxxxxxxxx\"; while (1) s = s s }"] }],
    });
    const pod = await moor.waitFor("the pod to fail", () => moor.pod("hungry")?.status?.phase === "Failed" && moor.pod("hungry"), 60_000);
    const terminated = containerStatus(pod, "main").state.terminated;
    assert.equal(terminated.reason, "OOMKilled");
    assert.equal(terminated.exitCode, 137);
    assert.equal(pod.metadata.annotations?.CapacityProvisioned, "0.25vCPU 0.5GB");
    assert.equal(condition(pod, "Ready"), "False");
  });

  it("backs a crashing container off (CrashLoopBackOff) and counts its restarts", async () => {
    moor.createPod("crasher", node(), { containers: [{ name: "main", ...busybox, command: ["sh", "-c", "echo crashing; exit 3"] }] });
    const pod = await moor.waitFor("a back-off after two restarts", () => {
      const current = moor.pod("crasher");
      const status = containerStatus(current, "main");
      return status?.state.waiting?.reason === "CrashLoopBackOff" && status.restartCount >= 2 && current;
    });
    const status = containerStatus(pod, "main");
    assert.equal(status.lastState.terminated.exitCode, 3);
    assert.equal(status.lastState.terminated.reason, "Error");
    assert.match(status.state.waiting.message, /^back-off \d+s restarting failed container=main pod=crasher_default\(/);
    assert.equal(pod.status.phase, "Running");
    assert.ok(moor.events("crasher").some((event) => event.reason === "BackOff" && /^Back-off restarting failed container main in pod crasher_default/.test(event.message)));
    assert.equal(await logsOf(moor, "crasher", { previous: true }), "crashing\n");
  });

  it("runs init containers in order before the app, and completes pods by their restart policy", async () => {
    moor.createPod("initialized", node(), {
      restartPolicy: "Never",
      volumes: [{ name: "work", emptyDir: {} }],
      initContainers: [
        { name: "first", ...busybox, command: ["sh", "-c", "echo first >> /work/order"], volumeMounts: [{ name: "work", mountPath: "/work" }] },
        { name: "second", ...busybox, command: ["sh", "-c", "echo second >> /work/order"], volumeMounts: [{ name: "work", mountPath: "/work" }] },
      ],
      containers: [{ name: "app", ...busybox, command: ["cat", "/work/order"], volumeMounts: [{ name: "work", mountPath: "/work" }] }],
    });
    const pod = await moor.waitFor("the pod to succeed", () => moor.pod("initialized")?.status?.phase === "Succeeded" && moor.pod("initialized"));
    assert.equal(await logsOf(moor, "initialized", {}, "app"), "first\nsecond\n");
    for (const name of ["first", "second", "app"]) assert.equal(containerStatus(pod, name).state.terminated.reason, "Completed", name);
    assert.equal(condition(pod, "Initialized"), "True");
    assert.equal(condition(pod, "Ready"), "False");
    assert.equal(pod.status.conditions.find((entry: any) => entry.type === "Ready").reason, "PodCompleted");

    moor.createPod("blocked", node(), {
      restartPolicy: "Never",
      initContainers: [{ name: "fails", ...busybox, command: ["sh", "-c", "exit 2"] }],
      containers: [{ name: "app", ...busybox, command: ["true"] }],
    });
    const blocked = await moor.waitFor("the pod to fail", () => moor.pod("blocked")?.status?.phase === "Failed" && moor.pod("blocked"));
    assert.equal(containerStatus(blocked, "fails").state.terminated.exitCode, 2);
    assert.equal(containerStatus(blocked, "app").state.waiting.reason, "PodInitializing");
    assert.equal(condition(blocked, "Initialized"), "False");
  });

  it("runs readiness, liveness and startup probes (exec, httpGet, tcpSocket)", async () => {
    moor.createPod("probed", node(), {
      containers: [
        {
          name: "web",
          ...busybox,
          ports: [{ name: "http", containerPort: 8080 }],
          command: ["sh", "-c", "mkdir -p /www && echo ok > /www/healthz && httpd -f -p 8080 -h /www"],
          startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
          readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 1 },
          livenessProbe: { exec: { command: ["test", "-f", "/www/healthz"] }, periodSeconds: 1, failureThreshold: 2 },
        },
      ],
    });
    const pod = await ready(moor, "probed");
    assert.equal(containerStatus(pod, "web").started, true);
    await execIn(moor, "probed", ["rm", "/www/healthz"]);
    const unready = await moor.waitFor("readiness to fail", () => condition(moor.pod("probed"), "Ready") === "False" && moor.pod("probed"));
    assert.equal(unready.status.conditions.find((entry: any) => entry.type === "Ready").reason, "ContainersNotReady");
    const restarted = await moor.waitFor("the liveness restart", () => containerStatus(moor.pod("probed"), "web")?.restartCount === 1 && moor.pod("probed"));
    assert.ok(restarted);
    const messages = moor.events("probed").map((event) => `${event.reason}: ${event.message}`);
    assert.ok(messages.includes("Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 404"), messages.join("\n"));
    assert.ok(messages.includes("Killing: Container web failed liveness probe, will be restarted"), messages.join("\n"));
    await ready(moor, "probed");
  });

  it("keeps an httpGet probe's connection open until the answer, as kubelet does (nginx drops a half-closed request: 499)", async () => {
    // The server answers only if the client has not shut its side within a second, as nginx
    // behind a slow PHP-FPM does; the probe's half-close used to leave the pod unready.
    const serve = [
      String.raw`while read -r line; do [ "$(echo "$line" | tr -d '\r')" = "" ] && break; done`,
      "timeout 1 cat >/dev/null && exit 0",
      String.raw`printf 'HTTP/1.0 200 OK\r\n\r\nok\n'`,
    ].join("\n");
    moor.createPod("patient", node(), {
      containers: [
        {
          name: "web",
          ...busybox,
          command: ["sh", "-c", `cat > /serve.sh <<'EOF'\n${serve}\nEOF\nexec nc -ll -p 8080 -e sh /serve.sh`],
          readinessProbe: { httpGet: { path: "/", port: 8080 }, periodSeconds: 1, timeoutSeconds: 3 },
        },
      ],
    });
    const pod = await ready(moor, "patient");
    assert.equal(condition(pod, "Ready"), "True");
  });

  it("builds the environment from values, config maps, secrets and pod fields", async () => {
    moor.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "default" }, data: { color: "blue", size: "L" } });
    moor.store.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "default" }, data: { password: Buffer.from("s3cret").toString("base64") } });
    moor.createPod("environment", node(), {
      restartPolicy: "Never",
      containers: [
        {
          name: "main",
          ...busybox,
          command: ["sh", "-c", "echo $GREETING $COLOR $PASSWORD $POD_NAME $POD_IP $MEMORY_LIMIT $CFG_size"],
          resources: { limits: { memory: "64Mi" } },
          envFrom: [{ prefix: "CFG_", configMapRef: { name: "settings" } }],
          env: [
            { name: "NAME", value: "world" },
            { name: "GREETING", value: "hello-$(NAME)" },
            { name: "COLOR", valueFrom: { configMapKeyRef: { name: "settings", key: "color" } } },
            { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } },
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
            { name: "MEMORY_LIMIT", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
          ],
        },
      ],
    });
    const pod = await moor.waitFor("the pod to succeed", () => moor.pod("environment")?.status?.phase === "Succeeded" && moor.pod("environment"));
    assert.equal(await logsOf(moor, "environment"), `hello-world blue s3cret environment ${pod.status.podIP} 64 L\n`);

    moor.createPod("missing-key", node(), {
      containers: [{ name: "main", ...busybox, command: ["true"], env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "absent", key: "k" } } }] }],
    });
    const waiting = await moor.waitFor("the config error", () => containerStatus(moor.pod("missing-key"), "main")?.state.waiting?.reason === "CreateContainerConfigError" && moor.pod("missing-key"));
    assert.equal(containerStatus(waiting, "main").state.waiting.message, 'configmap "absent" not found');
  });

  it("applies the security context and refuses what Fargate forbids", async () => {
    moor.createPod("secure", node(), {
      restartPolicy: "Never",
      securityContext: { runAsUser: 1000, runAsGroup: 3000 },
      containers: [{ name: "main", ...busybox, command: ["sh", "-c", "id -u; id -g; touch /root-write 2>&1 || echo read-only"], securityContext: { readOnlyRootFilesystem: true } }],
    });
    await moor.waitFor("the pod to finish", () => moor.pod("secure")?.status?.phase === "Succeeded");
    assert.match(await logsOf(moor, "secure"), /^1000\n3000\n.*\nread-only\n$/s);

    moor.createPod("rooted", node(), {
      containers: [{ name: "main", ...busybox, command: ["true"], securityContext: { runAsNonRoot: true } }],
    });
    const rooted = await moor.waitFor("the refusal", () => containerStatus(moor.pod("rooted"), "main")?.state.waiting?.reason === "CreateContainerConfigError" && moor.pod("rooted"));
    assert.match(containerStatus(rooted, "main").state.waiting.message, /^container has runAsNonRoot and image will run as root/);

    moor.createPod("privileged", node(), { restartPolicy: "Never", containers: [{ name: "main", ...busybox, command: ["true"], securityContext: { privileged: true } }] });
    await moor.waitFor("the refusal", () => moor.pod("privileged")?.status?.phase === "Failed");
    assert.match(containerStatus(moor.pod("privileged"), "main").state.terminated.message, /privileged containers are not supported on Fargate/);
  });

  it("marks a node whose agent stopped heartbeating NotReady (Unknown)", async () => {
    const { checkNodes } = await import("../../src/controllers/nodes/mod.js");
    const name = node();
    await moor.waitFor("a lease", () => moor.store.get({ kind: "Lease", namespace: "kube-node-lease", name }));
    assert.deepEqual(checkNodes(moor.store, 40_000, new Date()), []);
    const marked = checkNodes(moor.store, 40_000, new Date(Date.now() + 60_000));
    assert.ok(marked.includes(name));
    const current = moor.store.get({ kind: "Node", name })!;
    const readyCondition = current.status.conditions.find((entry: any) => entry.type === "Ready");
    assert.equal(readyCondition.status, "Unknown");
    assert.equal(readyCondition.message, "Kubelet stopped posting node status.");
    assert.ok(current.spec.taints.some((taint: any) => taint.key === "node.kubernetes.io/unreachable"));
    await moor.waitFor("the next heartbeat to make it Ready again", () => {
      const conditions = moor.store.get({ kind: "Node", name })?.status.conditions ?? [];
      return conditions.find((entry: any) => entry.type === "Ready")?.status === "True";
    });
  });
});
