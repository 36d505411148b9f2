// Mounts added to a running container: a mount the mount engine made on the host (an EFS file
// system an EC2 instance's `mount -t nfs` asked for) put onto a directory inside the container's
// own mount namespace, and taken off again. moor-shim does the system calls (open_tree, setns,
// move_mount: Node has none of them); the container's process is found through runc's state.

import { invalid, quote, unavailable } from "../../errors/mod.js";
import { command } from "../../engines/command/mod.js";
import type { PodIOHost } from "./_io.js";

/** The process id of a running container (its init), from runc's state. */
async function containerPid(agent: PodIOHost, id: string): Promise<number> {
  const state = await command("runc", ["--root", agent.layout.runcRoot, "state", id], { allowFailure: true });
  const pid = state.code === 0 ? (JSON.parse(state.stdout) as { pid?: number; status?: string }) : undefined;
  if (!pid?.pid || pid.status !== "running") throw invalid(`Cannot reach container "${id}": it is not running`);
  return pid.pid;
}

function said(stderr: string): string {
  return stderr.trim().replace(/^moor-shim: /, "");
}

export async function attachMount(agent: PodIOHost, containerId: string, hostPath: string, path: string): Promise<void> {
  if (!path.startsWith("/")) throw invalid(`Cannot mount at ${quote(path)}: the path is not absolute`);
  const pid = await containerPid(agent, containerId);
  const result = await command(agent.context.shim, ["attach", String(pid), hostPath, path], { allowFailure: true });
  if (result.code !== 0) throw unavailable(`Cannot mount at ${quote(path)} in the container: ${said(result.stderr)}`);
}

export async function detachMount(agent: PodIOHost, containerId: string, path: string): Promise<void> {
  const pid = await containerPid(agent, containerId);
  const result = await command(agent.context.shim, ["detach", String(pid), path], { allowFailure: true });
  if (result.code !== 0) throw unavailable(`Cannot unmount ${quote(path)} in the container: ${said(result.stderr)}`);
}
