// An instance profile's role credentials at /latest/meta-data/iam/security-credentials/<role>,
// as IMDS serves them to the AWS SDKs and CLI inside an instance: Moor's STS issues them (over
// the daemon's IPC channel, as for tasks) for a session named after the instance id, so STS
// says `assumed-role/<role>/<instance id>`; they are kept until a quarter-hour before expiry.
// The request is authorised as any other IMDS request (the instance at the source address, its
// session token where the instance requires one).

import { type CredentialsRequest, refreshBeforeMs, type TaskCredentials } from "./_task-answer.js";
import { timestamp } from "../../clock/mod.js";
import { type MetadataAnswer, type MetadataService, roleNameOf } from "./_answer.js";

const prefix = "/latest/meta-data/iam/security-credentials/";
/** Instances whose credentials are kept at most; the oldest go first past it. */
export const instanceCredentialsMax = 10_000;

export type InstanceCredentialsCall = { answer: MetadataAnswer } | { issue: CredentialsRequest; instanceId: string };

function json(body: unknown): MetadataAnswer {
  return { status: 200, headers: { "Content-Type": "text/plain" }, body: JSON.stringify(body, null, 2) };
}

export class InstanceCredentials {
  /** instance id → the role the credentials are for, and the credentials. */
  readonly #cache = new Map<string, { roleArn: string; issued: TaskCredentials; at: Date }>();

  /** What a request for the role's credentials gets; undefined when it asks for something else. */
  call(service: MetadataService, method: string, path: string, headers: Record<string, string | undefined>, address: string, nowMs: number): InstanceCredentialsCall | undefined {
    if (!path.startsWith(prefix) || path.length === prefix.length) return undefined;
    const authorised = service.answer(method, "/latest/meta-data/instance-id", headers, address, nowMs);
    if (authorised.status !== 200) return { answer: authorised };
    const instance = service.instanceAt(address);
    const roleArn = instance?.instanceProfile?.roleArn;
    if (!instance || !roleArn || path.slice(prefix.length) !== roleNameOf(roleArn)) return { answer: { status: 404, headers: { "Content-Type": "text/plain" }, body: "Not Found" } };
    const cached = this.#cache.get(instance.instanceId);
    if (cached && cached.roleArn === roleArn && Date.parse(cached.issued.Expiration) - refreshBeforeMs > nowMs) return { answer: this.#answer(cached.issued, cached.at) };
    return { issue: { roleArn, sessionName: instance.instanceId }, instanceId: instance.instanceId };
  }

  /** The answer once Moor issued the credentials (kept for the next request), or failed to. */
  issued(instanceId: string, roleArn: string, issued: TaskCredentials | { error: string }, nowMs: number): MetadataAnswer {
    if ("error" in issued) return { status: 500, headers: { "Content-Type": "text/plain" }, body: `Cannot issue credentials: ${issued.error}` };
    if (this.#cache.size >= instanceCredentialsMax) this.#cache.delete(this.#cache.keys().next().value!);
    const at = new Date(nowMs);
    this.#cache.set(instanceId, { roleArn, issued, at });
    return this.#answer(issued, at);
  }

  #answer(issued: TaskCredentials, at: Date): MetadataAnswer {
    return json({ Code: "Success", LastUpdated: timestamp(at), Type: "AWS-HMAC", AccessKeyId: issued.AccessKeyId, SecretAccessKey: issued.SecretAccessKey, Token: issued.Token, Expiration: timestamp(new Date(issued.Expiration)) });
  }
}
