// `moor image build` end to end: a multi-stage Dockerfile builds into the agent's image store
// and runs as a pod; an unchanged rebuild takes every step from the cache; bad Dockerfiles fail
// naming their line; a Debian base image installs a package with apt-get inside a RUN.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { moorEntry, run } from "../harness.js";
import { logsOf, startAgent, type AgentUnderTest } from "../agent/_harness.js";

const multiStage = `# syntax=docker/dockerfile:1
ARG GREETING=hello
FROM busybox AS build
ARG GREETING
RUN mkdir -p /out \\
 && echo "$GREETING from the build stage" > /out/greeting
COPY notes.txt archive.tar /out/

FROM busybox
ENV APP=/app
WORKDIR $APP
COPY --from=build /out/ ./
ADD archive.tar /unpacked/
LABEL org.example.title="multi stage"
EXPOSE 8080
HEALTHCHECK --interval=5s CMD ["cat", "/app/greeting"]
CMD ["sh", "-c", "cat greeting notes.txt /unpacked/inside.txt; pwd"]
`;

function context(root: string, name: string, dockerfile: string, files: Record<string, string> = {}): string {
  const directory = join(root, name);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, "Dockerfile"), dockerfile);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(directory, path), content);
  return directory;
}

describe("moor image build", () => {
  let moor: AgentUnderTest;
  let work: string;
  const moorImage = (...args: string[]) => run(process.execPath, [moorEntry, "image", ...args], { env: { ...process.env, MOOR_HOME: moor.home }, timeoutMs: 600_000 });
  before(async () => {
    moor = await startAgent();
    work = mkdtempSync(join(tmpdir(), "moor-build-"));
  });
  after(async () => {
    await moor?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  function multiStageContext(): string {
    const directory = context(work, "multi", multiStage, { "notes.txt": "notes from the context\n" });
    mkdirSync(join(work, "payload"));
    writeFileSync(join(work, "payload", "inside.txt"), "inside the archive\n");
    execFileSync("tar", ["-C", join(work, "payload"), "-cf", join(directory, "archive.tar"), "inside.txt"]);
    return directory;
  }

  it("builds a multi-stage Dockerfile whose image runs as a pod with its config", async () => {
    const built = await moorImage("build", "-t", "example.com/multi:v1", "--build-arg", "GREETING=hi", multiStageContext());
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stdout, /^Step 1\/14 : ARG GREETING=hello\n/);
    assert.match(built.stdout, /\nStep 4\/14 : RUN mkdir -p \/out  && echo "\$GREETING from the build stage" > \/out\/greeting\n/);
    assert.match(built.stdout, /\nSuccessfully built [0-9a-f]{12}\nSuccessfully tagged example.com\/multi:v1\n$/);
    const image = JSON.parse(readFileSync(join(moor.home, "images", "index.json"), "utf8")).images.find((entry: any) => entry.references.includes("example.com/multi:v1"));
    const config = JSON.parse(readFileSync(join(moor.home, "images", "blobs", `${image.id.slice(7)}.json`), "utf8"));
    assert.deepEqual(config.config.Labels, { "org.example.title": "multi stage" });
    assert.deepEqual(config.config.ExposedPorts, { "8080/tcp": {} });
    assert.deepEqual(config.config.Healthcheck, { Test: ["CMD", "cat", "/app/greeting"], Interval: 5e9 });
    assert.equal(config.config.WorkingDir, "/app");
    moor.createPod("multi", moor.fargateNode("10.42.0.210").metadata.name, { restartPolicy: "Never", containers: [{ name: "main", image: "example.com/multi:v1" }] });
    await moor.waitFor("the pod to finish", () => moor.pod("multi")?.status?.phase === "Succeeded");
    assert.equal(await logsOf(moor, "multi"), "hi from the build stage\nnotes from the context\ninside the archive\n/app\n");
  });

  it("takes every step of an unchanged rebuild from the cache, and reruns from a changed file on", async () => {
    const directory = join(work, "multi");
    const again = await moorImage("build", "-t", "example.com/multi:v1", "--build-arg", "GREETING=hi", directory);
    assert.equal(again.code, 0, again.stderr);
    const steps = again.stdout.split("\n").filter((line) => line.startsWith("Step "));
    const cachable = steps.filter((line) => !/^Step \d+\/\d+ : (FROM|ARG GREETING=hello$)/.test(line));
    assert.equal(cachable.length, 11);
    assert.equal(again.stdout.match(/\n ---> Using cache\n/g)?.length, cachable.length, again.stdout);
    writeFileSync(join(directory, "notes.txt"), "changed notes\n");
    const changed = await moorImage("build", "-t", "example.com/multi:v2", "--build-arg", "GREETING=hi", directory);
    assert.equal(changed.code, 0, changed.stderr);
    const block = (step: number) => changed.stdout.slice(changed.stdout.indexOf(`Step ${step}/14 :`), changed.stdout.indexOf(`Step ${step + 1}/14 :`));
    assert.match(block(4), /Using cache/, "the RUN before the changed COPY source comes from the cache");
    assert.doesNotMatch(block(5), /Using cache/, "the COPY of a changed file runs again");
    assert.doesNotMatch(block(9), /Using cache/, "so does the COPY --from of the stage it changed");
  });

  it("names the Dockerfile line of an unknown instruction, a failing RUN, a missing COPY source and a missing base image", async () => {
    const cases: Array<[string, string, string]> = [
      ["unknown", "FROM busybox\n\nFROBNICATE now\n", "moor: Dockerfile:3: unknown instruction: FROBNICATE\n"],
      ["failing", "FROM busybox\nRUN echo about to fail \\\n && exit 3\n", "moor: Dockerfile:2: RUN echo about to fail  && exit 3: exit code 3\n"],
      ["missing-file", "FROM busybox\nCOPY missing.txt /\n", 'moor: Dockerfile:2: COPY missing.txt /: no such file "missing.txt" in the build context\n'],
      ["missing-image", "# no such base\nFROM example.com/nope:1\n", 'moor: Dockerfile:2: FROM example.com/nope:1: no such image "example.com/nope:1" in Moor\'s image store (load it, pull it, or build it first)\n'],
    ];
    for (const [name, dockerfile, expected] of cases) {
      const result = await moorImage("build", "-t", `example.com/${name}:v1`, context(work, name, dockerfile));
      assert.equal(result.code, 1, `${name}: ${result.stdout}`);
      assert.equal(result.stderr.split("\n").filter((line) => line.startsWith("moor: ")).join("\n") + "\n", expected);
    }
    assert.doesNotMatch((await moorImage("ls")).stdout, /example\.com\/(unknown|failing|missing)/);
  });

  it("builds on debian:bookworm-slim, made here from Debian's packages, with apt-get install in a RUN", async () => {
    const dockerfile = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*\nCMD [\"sh\", \"-c\", \"echo '{\\\"a\\\":42}' | jq .a; ls /usr/share/doc/jq\"]\n";
    const built = await moorImage("build", "-t", "example.com/jq:v1", context(work, "jq", dockerfile));
    assert.equal(built.code, 0, built.stdout + built.stderr);
    moor.createPod("jq", moor.fargateNode("10.42.0.211").metadata.name, { restartPolicy: "Never", containers: [{ name: "main", image: "example.com/jq:v1" }] });
    await moor.waitFor("the pod to finish", () => moor.pod("jq")?.status?.phase === "Succeeded", 60_000);
    // slim keeps a package's copyright and nothing else of its documentation.
    assert.equal(await logsOf(moor, "jq"), "42\ncopyright\n");
  });
});
