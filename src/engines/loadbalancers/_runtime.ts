// Target changes without a reload, over HAProxy's admin socket (its runtime API). A new target
// is added as a server of its own (`add server`, with the settings a server line would have),
// its checks start at once, and it is held out of rotation (drain, health down) until it passes
// `healthyThreshold` checks, as an ALB's new target does. A target that goes is put in
// maintenance (no new requests) and deleted; one still holding connections stays in maintenance
// until the next change deletes it. A target of a group with checks disabled is in rotation as
// soon as it leaves maintenance.

import { adminCommand } from "./_haproxy.js";

/** Whether a server's settings (serverSettings) have it checked. */
export function isChecked(settings: string): boolean {
  return / check( |$)/.test(settings);
}

/** The commands that hold a server out of rotation until its checks pass; its checks run meanwhile. */
export function admitCommands(backend: string, server: string, checked = true): string[] {
  const id = `${backend}/${server}`;
  if (!checked) return [`set server ${id} state ready`];
  // Leaving maintenance sets a server's health to healthy; draining first keeps requests off it
  // until `health down` has reset that, and `ready` lets the checks decide.
  return [`set server ${id} state drain`, `set server ${id} health down`, `set server ${id} state ready`];
}

/** Runs commands in order; false as soon as one answers with anything (an error). */
async function runAll(socket: string, commands: readonly string[]): Promise<boolean> {
  for (const command of commands) {
    const answer = (await adminCommand(socket, command)).trim();
    if (answer !== "") return false;
  }
  return true;
}

/** Holds servers a reload brought in (in maintenance) out of rotation until their checks pass. */
export async function admitServers(socket: string, servers: Iterable<{ id: string; checked: boolean }>): Promise<boolean> {
  let ok = true;
  for (const server of servers) {
    const [backend = "", name = ""] = server.id.split("/");
    ok = (await runAll(socket, admitCommands(backend, name, server.checked))) && ok;
  }
  return ok;
}

/** Adds a server and starts its checks; false when HAProxy refused (the caller reloads instead). */
export async function addServer(socket: string, backend: string, server: string, settings: string): Promise<boolean> {
  const added = await adminCommand(socket, `add server ${backend}/${server} ${settings}`);
  if (!/New server registered/.test(added)) return false;
  const checked = isChecked(settings);
  return runAll(socket, [...(checked ? [`enable health ${backend}/${server}`] : []), ...admitCommands(backend, server, checked)]);
}

/** Takes a server out of rotation and deletes it; false while it still has connections. */
export async function retireServer(socket: string, backend: string, server: string): Promise<boolean> {
  await adminCommand(socket, `set server ${backend}/${server} state maint`);
  const answer = await adminCommand(socket, `del server ${backend}/${server}`);
  return /Server deleted|No such server/.test(answer);
}
