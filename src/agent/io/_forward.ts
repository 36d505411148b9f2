// Port-forward's agent side: a TCP connection to 127.0.0.1:<port> inside the pod's own network
// namespace (so a server bound to loopback is reached too, as with the kubelet). Moor's process
// lives in the host namespace and a socket cannot be opened in another namespace from Node, so
// each connection is a small relay process entered into the pod's namespace: `nsenter --net`
// running busybox `nc` (Debian's busybox-static, already needed for the test image), whose
// stdin and stdout are the connection. One process per forwarded connection, for as long as it lasts.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { Duplex } from "node:stream";
import { invalid, notFound, quote } from "../../errors/mod.js";
import type { PodIOHost } from "./_io.js";
import type { PodRef, PortForwardConnection } from "./_types.js";

const busybox = "/usr/bin/busybox";

export async function forwardPort(agent: PodIOHost, ref: PodRef, port: number): Promise<PortForwardConnection> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(`Cannot forward port ${quote(port)}: it is not between 1 and 65535`);
  const pod = await agent.context.port.pod(ref.namespace, ref.name);
  if (!pod) throw notFound(`pods ${quote(ref.name)} not found`, { subject: { kind: "Pod", name: ref.name } });
  const state = [...agent.workers.values()].map((worker) => worker.state).find((entry) => entry?.uid === pod.metadata.uid);
  const network = agent.context.network;
  const path = network.namespacePath(network.podNamespace(pod.metadata.uid!));
  if (!state?.sandboxReady || !existsSync(path)) throw invalid(`Cannot forward port ${port} of pod ${quote(ref.name)}: its sandbox is not running`);
  const child = spawn("nsenter", [`--net=${path}`, busybox, "nc", "127.0.0.1", String(port)], { stdio: ["pipe", "pipe", "pipe"] });
  let said = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    if (said.length < 4096) said += chunk;
  });
  child.stdin.on("error", () => {});
  const failure = new Promise<string | undefined>((resolve) => {
    child.on("error", (error) => resolve(error.message));
    child.on("close", (code) => resolve(code === 0 ? undefined : said.trim().replace(/^nc: /, "") || `the relay exited with ${code}`));
  });
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  stream.on("close", () => child.kill());
  return { stream, failure };
}
