// `moor efs mount` / `umount` / `mounts`: mount a file system on the host the way
// `mount -t efs` does on an EC2 instance. The running Moor performs the mount (it owns the FUSE
// daemons), so the mount outlives this command.

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadConfig, paths } from "../config/mod.js";
import { callMoorApi } from "../frontends/moor/mod.js";
import { printTable } from "./_profile.js";

const usage = `Usage:
  moor efs mount TARGET DIR [-o OPTIONS] [--zone ZONE]
      TARGET: fs-id, fs-id:/path, or the CSI forms fs-id::fsap-id, fs-id:/path:fsap-id (efs: prefix allowed)
      OPTIONS: comma-separated tls, iam, ro, accesspoint=fsap-id (as mount -t efs takes them)
      ZONE: the availability zone this host is in (default: the VPC's first zone)
  moor efs umount DIR
  moor efs mounts`;

export async function commandEfs(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { options: { type: "string", short: "o" }, zone: { type: "string" } } });
  const socket = paths(loadConfig()).socket;
  if (verb === "mount" && positionals.length === 2) {
    const options = parseMountOptions(values.options ?? "");
    const body = { target: positionals[0], directory: resolve(positionals[1]!), ...options, ...(values.zone ? { zone: values.zone } : {}) };
    const mounted = await callMoorApi(socket, "POST", "/v1/mounts", body);
    console.log(`mounted ${mounted.target} at ${mounted.mountPoint} (${mounted.kind}${mounted.readOnly ? ", read-only" : ""})`);
    return 0;
  }
  if (verb === "umount" && positionals.length === 1) {
    await callMoorApi(socket, "DELETE", `/v1/mounts?directory=${encodeURIComponent(resolve(positionals[0]!))}`);
    console.log(`unmounted ${resolve(positionals[0]!)}`);
    return 0;
  }
  if (verb === "mounts") {
    const { items } = await callMoorApi(socket, "GET", "/v1/mounts");
    printTable(
      ["DIRECTORY", "TARGET", "KIND", "MODE"],
      (items as any[]).map((m) => [m.mountPoint, m.target, m.kind, m.readOnly ? "ro" : "rw"]),
    );
    return 0;
  }
  console.error(usage);
  return 2;
}

export function parseMountOptions(text: string): { tls: boolean; iam: boolean; readOnly: boolean; accessPointId?: string } {
  const result: { tls: boolean; iam: boolean; readOnly: boolean; accessPointId?: string } = { tls: false, iam: false, readOnly: false };
  for (const option of text.split(",").map((o) => o.trim()).filter(Boolean)) {
    const [name, value] = option.split("=", 2) as [string, string | undefined];
    if (name === "tls") result.tls = true;
    else if (name === "iam") result.iam = true;
    else if (name === "ro") result.readOnly = true;
    else if (name === "rw") result.readOnly = false;
    else if (name === "accesspoint" && value) result.accessPointId = value;
    else if (!["_netdev", "noresvport", "nfsvers", "rsize", "wsize", "hard", "timeo", "retrans", "noatime", "defaults"].includes(name)) {
      throw new Error(`Cannot mount: unknown option "${option}" (known: tls, iam, ro, rw, accesspoint=fsap-id)`);
    }
  }
  return result;
}
