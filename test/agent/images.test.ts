import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { moorEntry, run } from "../harness.js";
import { containerStatus, logsOf, startAgent, type AgentUnderTest } from "./_harness.js";

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** Two layers: the second deletes a file (whiteout) and replaces a directory (opaque). */
function buildLayers(work: string): Buffer[] {
  const first = join(work, "first");
  mkdirSync(join(first, "bin"), { recursive: true });
  mkdirSync(join(first, "etc"));
  mkdirSync(join(first, "data"));
  copyFileSync("/bin/busybox", join(first, "bin/busybox"));
  for (const applet of ["sh", "ls", "cat", "echo"]) symlinkSync("busybox", join(first, "bin", applet));
  writeFileSync(join(first, "etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
  writeFileSync(join(first, "data/a"), "a\n");
  const second = join(work, "second");
  mkdirSync(join(second, "etc"), { recursive: true });
  mkdirSync(join(second, "data"));
  writeFileSync(join(second, "etc/.wh.passwd"), "");
  writeFileSync(join(second, "data/.wh..wh..opq"), "");
  writeFileSync(join(second, "data/b"), "b\n");
  writeFileSync(join(second, "hello.txt"), "hello from layer two\n");
  return [first, second].map((directory) => execFileSync("tar", ["-C", directory, "-cf", "-", "."], { maxBuffer: 64 << 20 }));
}

function imageConfig(layers: Buffer[], created = "2024-01-01T00:00:00Z"): string {
  return JSON.stringify({
    created,
    architecture: "amd64",
    os: "linux",
    config: { Env: ["PATH=/bin"], Cmd: ["sh", "-c", "ls /etc/passwd 2>/dev/null || echo passwd-gone; cat /hello.txt; ls /data"] },
    rootfs: { type: "layers", diff_ids: layers.map((layer) => `sha256:${sha256(layer)}`) },
  });
}

function dockerSave(work: string, layers: Buffer[], tag: string): string {
  const root = join(work, "docker");
  const config = imageConfig(layers);
  mkdirSync(root);
  writeFileSync(join(root, `${sha256(config)}.json`), config);
  const paths = layers.map((layer, index) => {
    mkdirSync(join(root, `layer${index}`));
    writeFileSync(join(root, `layer${index}`, "layer.tar"), layer);
    return `layer${index}/layer.tar`;
  });
  writeFileSync(join(root, "manifest.json"), JSON.stringify([{ Config: `${sha256(config)}.json`, RepoTags: [tag], Layers: paths }]));
  const archive = join(work, "docker.tar");
  execFileSync("tar", ["-C", root, "-cf", archive, "."]);
  return archive;
}

function ociArchive(work: string, layers: Buffer[], name: string): string {
  const root = join(work, "oci");
  const blobs = join(root, "blobs", "sha256");
  mkdirSync(blobs, { recursive: true });
  const put = (data: Buffer | string) => {
    const digest = sha256(data);
    writeFileSync(join(blobs, digest), data);
    return { digest: `sha256:${digest}`, size: Buffer.byteLength(data) };
  };
  const config = put(imageConfig(layers, "2024-02-02T00:00:00Z"));
  const layerDescriptors = layers.map((layer) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...put(gzipSync(layer)) }));
  const manifest = put(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config }, layers: layerDescriptors }));
  writeFileSync(join(root, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(join(root, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", ...manifest, annotations: { "io.containerd.image.name": name } }] }));
  const archive = join(work, "oci.tar");
  execFileSync("tar", ["-C", root, "-cf", archive, "."]);
  return archive;
}

describe("node agent: images", () => {
  let moor: AgentUnderTest;
  let work: string;
  let layers: Buffer[];
  const moorImage = (...args: string[]) => run(process.execPath, [moorEntry, "image", ...args], { env: { ...process.env, MOOR_HOME: moor.home } });
  before(async () => {
    moor = await startAgent();
    work = mkdtempSync(join(tmpdir(), "moor-images-"));
    layers = buildLayers(work);
  });
  after(async () => {
    await moor?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it("loads a docker save archive and runs it on an overlay that honours whiteouts and opaque directories", async () => {
    const loaded = await moorImage("load", dockerSave(work, layers, "example.com/whiteout:v1"));
    assert.equal(loaded.stdout, "Loaded image: example.com/whiteout:v1\n", loaded.stderr);
    moor.createPod("layered", moor.fargateNode("10.42.0.200").metadata.name, { restartPolicy: "Never", containers: [{ name: "main", image: "example.com/whiteout:v1" }] });
    await moor.waitFor("the pod to finish", () => moor.pod("layered")?.status?.phase === "Succeeded");
    assert.equal(await logsOf(moor, "layered"), "passwd-gone\nhello from layer two\nb\n");
    const image = JSON.parse(readFileSync(join(moor.home, "images", "index.json"), "utf8")).images.find((entry: any) => entry.references.includes("example.com/whiteout:v1"));
    assert.equal(containerStatus(moor.pod("layered"), "main").imageID, image.id);
  });

  it("loads an OCI archive with gzip layers, lists and removes images", async () => {
    const loaded = await moorImage("load", ociArchive(work, layers, "example.com/oci:v2"));
    assert.equal(loaded.stdout, "Loaded image: example.com/oci:v2\n", loaded.stderr);
    const listed = (await moorImage("ls")).stdout;
    assert.match(listed, /^REPOSITORY\s+TAG\s+IMAGE ID\s+SIZE\n/);
    assert.match(listed, /\nexample\.com\/oci\s+v2\s+[0-9a-f]{12}\s/);
    assert.match(listed, /\nexample\.com\/whiteout\s+v1\s/);
    assert.match(listed, /\nbusybox\s+latest\s/);
    const removed = await moorImage("rm", "example.com/oci:v2");
    assert.match(removed.stdout, /^Untagged: example.com\/oci:v2\nDeleted: sha256:[0-9a-f]{64}\n$/);
    assert.doesNotMatch((await moorImage("ls")).stdout, /example\.com\/oci/);
    const missing = await moorImage("rm", "example.com/oci:v2");
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'moor: Cannot remove image "example.com/oci:v2": no such image\n');
  });

  it("refuses to remove an image a container runs", async () => {
    moor.createPod("user", moor.fargateNode("10.42.0.201").metadata.name, { containers: [{ name: "main", image: "example.com/whiteout:v1", command: ["sh", "-c", "sleep 3600"] }] });
    await moor.waitFor("the pod to run", () => moor.pod("user")?.status?.phase === "Running");
    const refused = await moorImage("rm", "example.com/whiteout:v1");
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'moor: Cannot remove image "example.com/whiteout:v1": a container uses it\n');
  });

  it("reports ErrImagePull then ImagePullBackOff for an image it cannot get", async () => {
    moor.createPod("absent", moor.fargateNode("10.42.0.202").metadata.name, { containers: [{ name: "main", image: "example.com/absent:v1" }] });
    const pulled = await moor.waitFor("ErrImagePull", () => containerStatus(moor.pod("absent"), "main")?.state.waiting?.reason === "ErrImagePull" && moor.pod("absent"));
    assert.match(containerStatus(pulled, "main").state.waiting.message, /registry "example.com" is not reachable from Moor/);
    await moor.waitFor("ImagePullBackOff", () => containerStatus(moor.pod("absent"), "main")?.state.waiting?.reason === "ImagePullBackOff");
    assert.equal(containerStatus(moor.pod("absent"), "main").state.waiting.message, 'Back-off pulling image "example.com/absent:v1"');
    assert.equal(moor.pod("absent")!.status.phase, "Pending");
  });
});
