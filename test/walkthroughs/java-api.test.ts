// Issue 15, walkthrough 2: the Java API guide on Moor for real. examples/java-api/walkthrough.sh
// runs as a user would (the eksctl file through `moor cluster create -f`, the tb-gp2 class,
// MySQL on the node group with its data on a block volume, the API on Fargate behind a
// LoadBalancer Service); then, from this host through the load balancer's name: records written
// are read back, the API scales 2 → 4 → 1 with one Fargate node per pod, and the records
// outlive the API pods' deletion and the database pod's (which comes back on the same volume).
// Last, `moor down --all` detaches the volume's loop device (it used to stay attached to the
// file, which the test's clean-up then deleted).

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { aws, type MoorUnderTest, moorEntry, repoRoot, run, startMoor } from "../harness.js";
import { kubectlJson, kubectlOk, waitFor } from "../kubectl.js";
import { seedExampleImages } from "./_images.js";

const namespace = "tb-demo";
const walkthroughTimeoutMs = 900_000;
const settleMs = 120_000;

interface Answer {
  status: number;
  body: string;
}

/** One HTTP request from the host; the load balancer's name resolves through /etc/hosts. */
async function request(url: string, body?: object): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method: body ? "POST" : "GET",
      ...(body ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
      signal: AbortSignal.timeout(5_000),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}

describe("the Java API guide (examples/java-api)", () => {
  let moor: MoorUnderTest;
  let url = "";
  const kube = (...args: string[]) => kubectlOk(moor, ["-n", namespace, ...args]);

  const home = mkdtempSync(join(tmpdir(), "moor-test-"));
  before(async () => {
    // The walkthrough builds its images itself; seeded from the machine's build, every step is cached.
    await seedExampleImages(home, [
      { app: "mariadb", tag: "moor-examples/mariadb:latest" },
      { app: "java-api", tag: "moor-examples/java-api:latest" },
    ]);
    moor = await startMoor({ home });
  });
  after(async () => {
    await moor?.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  /** The API pods: name, uid, node and readiness, leaving out pods being deleted. */
  async function apiPods() {
    const items = (await kubectlJson(moor, ["-n", namespace, "get", "pods", "-l", "app=service"])).items as any[];
    return items
      .filter((pod) => !pod.metadata.deletionTimestamp)
      .map((pod) => ({
        name: pod.metadata.name as string,
        uid: pod.metadata.uid as string,
        node: pod.spec.nodeName as string | undefined,
        ready: pod.status.conditions?.some((condition: any) => condition.type === "Ready" && condition.status === "True") === true,
      }));
  }

  /** Waits for `count` ready API pods, each on a Fargate node of its own, and no other Fargate node. */
  async function apiOnFargate(count: number, replaced: string[] = []) {
    return waitFor(`${count} API pods on ${count} Fargate nodes`, async () => {
      const pods = await apiPods();
      if (pods.length !== count || pods.some((pod) => !pod.ready || replaced.includes(pod.uid))) return false;
      const nodes = (await kubectlJson(moor, ["get", "nodes", "-l", "eks.amazonaws.com/compute-type=fargate"])).items.map((node: any) => node.metadata.name as string);
      const podNodes = pods.map((pod) => pod.node!).sort();
      return nodes.length === count && JSON.stringify(nodes.sort()) === JSON.stringify(podNodes) && pods;
    }, settleMs);
  }

  /** GET /records through the load balancer, retried until it answers 200 (the API or database may be starting). */
  async function records(): Promise<{ id: number; record: { title: string } }[]> {
    const answer = await waitFor("GET /records through the load balancer", async () => {
      const got = await request(url);
      return got.status === 200 && got;
    }, settleMs);
    return JSON.parse(answer.body);
  }
  const titles = async () => (await records()).map((entry) => entry.record.title);

  it("walkthrough.sh runs to its end: MySQL on the node group on a tb-gp2 volume, the API on Fargate behind a load balancer", async () => {
    const startedAt = Date.now();
    const env = { ...moor.env, MOOR: `${process.execPath} ${moorEntry}` };
    const walked = await run("bash", [join(repoRoot, "examples/java-api/walkthrough.sh")], { env, timeoutMs: walkthroughTimeoutMs });
    console.log(`# walkthrough.sh took ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    for (const line of walked.stdout.split("\n").filter((text) => text.startsWith("Successfully tagged"))) console.log(`# ${line}`);
    assert.equal(walked.code, 0, `${walked.stdout.slice(-4000)}\n${walked.stderr.slice(-4000)}`);
    assert.match(walked.stdout, /==> Done: the API answers at http:\/\/k8s-tbdemo-service-[0-9a-f]{10}-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com\/records/);

    const mysql = await kubectlJson(moor, ["-n", namespace, "get", "pod", "mysql-0"]);
    const node = await kubectlJson(moor, ["get", "node", mysql.spec.nodeName]);
    assert.equal(node.metadata.labels["eks.amazonaws.com/nodegroup"], "terrax-fargate.node-group");
    const claim = await kubectlJson(moor, ["-n", namespace, "get", "pvc", "mysql-persistent-storage-mysql-0"]);
    assert.deepEqual([claim.spec.storageClassName, claim.status.phase], ["tb-gp2", "Bound"]);
    const mounted = await kube("exec", "mysql-0", "--", "sh", "-c", "df -T /var/lib/mysql | tail -n 1");
    assert.match(mounted, /^\/dev\/loop\d+\s+ext4\s/);

    const [pod] = await apiOnFargate(1);
    const api = await kubectlJson(moor, ["-n", namespace, "get", "pod", pod!.name]);
    assert.equal(api.metadata.labels["eks.amazonaws.com/fargate-profile"], "terrax-fargate.fp-demo-service");
    const service = await kubectlJson(moor, ["-n", namespace, "get", "svc", "service"]);
    url = `http://${service.status.loadBalancer.ingress[0].hostname}/records`;
    assert.deepEqual(await titles(), ["first record", "second record"]);
  });

  it("reads back through the load balancer the records written through it from this host", async () => {
    assert.ok(url, "the walkthrough gave no load balancer");
    for (let index = 1; index <= 5; index++) {
      const answer = await request(url, { title: `host record ${index}`, index });
      assert.equal(answer.status, 201, answer.body);
      assert.match(answer.body, new RegExp(`^\\{"id":\\d+,"record":\\{"title":"host record ${index}","index":${index}\\}\\}$`));
    }
    const listed = await records();
    assert.deepEqual(listed.map((entry) => entry.record.title), ["first record", "second record", ...[1, 2, 3, 4, 5].map((index) => `host record ${index}`)]);
    assert.deepEqual(listed.map((entry) => entry.id), [1, 2, 3, 4, 5, 6, 7]);
  });

  it("scales 2 → 4 → 1 with one Fargate node per API pod, and answers with every record after each step", async () => {
    const expected = await titles();
    for (const replicas of [2, 4, 1]) {
      await kube("scale", "deployment/service", `--replicas=${replicas}`);
      const pods = await apiOnFargate(replicas);
      assert.equal(new Set(pods.map((pod) => pod.node)).size, replicas);
      const table = await kubectlOk(moor, ["get", "nodes"]);
      assert.equal(table.split("\n").filter((line) => line.startsWith("fargate-ip-")).length, replicas, table);
      assert.deepEqual(await titles(), expected);
    }
  });

  it("keeps every record when the API pods are deleted and come back", async () => {
    const expected = await titles();
    await kube("scale", "deployment/service", "--replicas=2");
    const before = await apiOnFargate(2);
    await kube("delete", "pods", "-l", "app=service", "--wait=true");
    const after = await apiOnFargate(2, before.map((pod) => pod.uid));
    assert.equal(after.length, 2);
    assert.deepEqual(await titles(), expected);
  });

  it("keeps every record when the database pod is deleted: it comes back on the same volume", async () => {
    const expected = await titles();
    const claimName = "mysql-persistent-storage-mysql-0";
    const volumeName = (await kubectlJson(moor, ["-n", namespace, "get", "pvc", claimName])).spec.volumeName;
    const volumeId = (await kubectlJson(moor, ["get", "pv", volumeName])).spec.awsElasticBlockStore.volumeID.split("/").at(-1);
    const first = await kubectlJson(moor, ["-n", namespace, "get", "pod", "mysql-0"]);

    await kube("delete", "pod", "mysql-0", "--wait=true");
    const second = await waitFor("mysql-0 back and ready", async () => {
      const pod = await kubectlJson(moor, ["-n", namespace, "get", "pod", "mysql-0"]);
      const ready = pod.status.conditions?.some((condition: any) => condition.type === "Ready" && condition.status === "True");
      return pod.metadata.uid !== first.metadata.uid && ready && pod;
    }, settleMs);
    assert.equal((await kubectlJson(moor, ["-n", namespace, "get", "pvc", claimName])).spec.volumeName, volumeName);
    const volume = JSON.parse((await aws(moor, ["ec2", "describe-volumes", "--volume-ids", volumeId])).stdout).Volumes[0];
    assert.deepEqual([volume.State, volume.Attachments[0].InstanceId], ["in-use", second.spec.nodeName]);
    const log = await kube("logs", "mysql-0");
    assert.doesNotMatch(log, /initialising the data directory/, "the server initialised a new data directory instead of finding its own");

    assert.deepEqual(await titles(), expected);
    const added = await request(url, { title: "after the database restart" });
    assert.equal(added.status, 201, added.body);
    assert.deepEqual(await titles(), [...expected, "after the database restart"]);
  });

  it("lets go of the database's volume on `moor down --all`: no loop device is left on its file", async () => {
    const volumeName = (await kubectlJson(moor, ["-n", namespace, "get", "pvc", "mysql-persistent-storage-mysql-0"])).spec.volumeName;
    const volumeId = (await kubectlJson(moor, ["get", "pv", volumeName])).spec.awsElasticBlockStore.volumeID.split("/").at(-1);
    const file = join(home, "volumes", `${volumeId}.img`);
    assert.match((await run("losetup", ["-j", file])).stdout, /^\/dev\/loop\d+:/);
    const down = await run(process.execPath, [moorEntry, "down", "--all"], { env: moor.env });
    assert.equal(down.code, 0, down.stderr);
    assert.equal((await run("losetup", ["-j", file])).stdout, "");
  });
});
