// Mount requests from inside an instance: Moor's mount helpers in the instance image
// (/sbin/mount.nfs, mount.nfs4, mount.efs and umount.fuse.moor) ask here, as mount(8) asks
// them, and Moor mounts the file system into the instance. Not an AWS path: the instance image
// is Moor's, and so is this conversation. The request is an IMDS request like any other (the
// instance is the one at the source address; a session token where the instance requires one),
// its words in headers so the helpers need nothing but bash: X-Moor-Mount-Type, -Spec,
// -Directory, -Options. The daemon forwards it to Moor over its IPC channel and answers with
// what the helper should print on stderr and the status it should exit with (X-Moor-Exit-Code).

import type { MetadataAnswer, MetadataService } from "./_answer.js";

export const mountPath = "/moor/v1/efs/mount";
export const unmountPath = "/moor/v1/efs/unmount";

/** What an instance asked: mount `spec` (type nfs, nfs4 or efs) on `directory`, or unmount it. */
export interface InstanceMountCall {
  action: "mount" | "unmount";
  instanceId: string;
  type: string;
  spec: string;
  directory: string;
  options: string;
}

export interface InstanceMountReply {
  exitCode: number;
  stderr: string;
}

/** Calls waiting for Moor at once, at most; past it an instance is told to try again. */
export const mountCallsMax = 64;
const valueBytesMax = 4096;

function reply(status: number, exitCode: number, stderr: string): MetadataAnswer {
  return { status, headers: { "Content-Type": "text/plain", "X-Moor-Exit-Code": String(exitCode) }, body: stderr };
}

/** The call a request makes, or the answer that refuses it; undefined when it is no mount request. */
export function readMountCall(service: MetadataService, method: string, path: string, headers: Record<string, string | undefined>, address: string, nowMs: number): { call: InstanceMountCall } | { answer: MetadataAnswer } | undefined {
  if (path !== mountPath && path !== unmountPath) return undefined;
  if (method !== "POST") return { answer: reply(405, 1, "Method Not Allowed") };
  const identity = service.answer("GET", "/latest/meta-data/instance-id", headers, address, nowMs);
  if (identity.status !== 200) return { answer: reply(identity.status, 32, `mount: the instance metadata service refused the request: ${identity.body}`) };
  const field = (name: string) => headers[`x-moor-mount-${name}`] ?? "";
  const values = { type: field("type"), spec: field("spec"), directory: field("directory"), options: field("options") };
  if (Object.values(values).some((value) => value.length > valueBytesMax)) return { answer: reply(400, 1, "mount: the request is too long") };
  return { call: { action: path === mountPath ? "mount" : "unmount", instanceId: identity.body, ...values } };
}

export function mountReplyAnswer(answer: InstanceMountReply): MetadataAnswer {
  return reply(answer.exitCode === 0 ? 200 : 400, answer.exitCode, answer.stderr);
}

export function busyAnswer(): MetadataAnswer {
  return reply(503, 32, "mount: Moor is busy with other mounts: try again");
}
