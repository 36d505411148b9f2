// Temporary credentials for a role, as STS issues them to a role's session (the ECS task-role
// endpoint asks for them): an access key id starting "ASIA", a secret, a session token and an
// expiry. Moor keeps the sessions it issued, bounded, so that GetCallerIdentity signed with one
// answers the assumed role, an `aws eks get-token` token made with one is verified, and an
// expired one is refused. With a store they are kept there too (kind StsSession, one object per
// access key id, removed once expired), so they outlive a restart of Moor as their holders
// expect; without one (unit tests) only in memory.

import { createHash, randomBytes } from "node:crypto";
import type { Store } from "../../store/mod.js";
import { invalid } from "../../errors/mod.js";
import type { CallerIdentity } from "./get-caller-identity.js";

export interface RoleSessionRequest {
  roleArn: string;
  sessionName: string;
  /** 900 to 43200; 3600 unless given. */
  durationSeconds?: number;
}

export interface RoleCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
}

interface Session {
  secret: string;
  expiresMs: number;
  identity: CallerIdentity;
}

/** Live sessions at most; the oldest go first past it. */
export const sessionsMax = 10_000;
export const sessionDurationDefaultSeconds = 3600;
const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function accessKeyId(): string {
  // "ASIA" and 16 characters of the base32 alphabet access key ids use.
  return `ASIA${[...randomBytes(16)].map((byte) => keyAlphabet[byte % 32]).join("")}`;
}

/** The role's unique id when IAM does not name one: "AROA" and 17 characters fixed by its ARN. */
function derivedRoleId(roleArn: string): string {
  const digest = createHash("sha256").update(roleArn).digest();
  return `AROA${[...digest.subarray(0, 17)].map((byte) => keyAlphabet[byte % 32]).join("")}`;
}

export const sessionKind = "StsSession";

export class RoleSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #roleId: (roleArn: string) => string | undefined;
  readonly #store: Store | undefined;

  constructor(roleId: (roleArn: string) => string | undefined, store?: Store) {
    this.#roleId = roleId;
    this.#store = store;
    const kept = store?.list(sessionKind).items ?? [];
    for (const object of kept.sort((a, b) => Number(a.spec?.expiresMs) - Number(b.spec?.expiresMs)).slice(-sessionsMax)) {
      const spec = object.spec as Partial<Session> | undefined;
      if (typeof spec?.secret === "string" && typeof spec.expiresMs === "number" && spec.identity) this.#sessions.set(object.metadata.name, { secret: spec.secret, expiresMs: spec.expiresMs, identity: spec.identity });
    }
  }

  issue(request: RoleSessionRequest, nowMs: number): RoleCredentials {
    const match = /^arn:aws[-a-z]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(request.roleArn);
    if (!match) throw invalid(`Cannot issue credentials: ${JSON.stringify(request.roleArn)} is not a role ARN`, { code: "ValidationError" });
    const [, account, roleName] = match;
    const roleId = this.#roleId(request.roleArn) ?? derivedRoleId(request.roleArn);
    const assumedRoleId = `${roleId}:${request.sessionName}`;
    const arn = `arn:aws:sts::${account}:assumed-role/${roleName}/${request.sessionName}`;
    const expiresMs = nowMs + (request.durationSeconds ?? sessionDurationDefaultSeconds) * 1000;
    const key = accessKeyId();
    const secret = randomBytes(30).toString("base64");
    this.#prune(nowMs);
    if (this.#sessions.size >= sessionsMax) this.#forget(this.#sessions.keys().next().value!);
    const session = { secret, expiresMs, identity: { UserId: assumedRoleId, Account: account!, Arn: arn } };
    this.#sessions.set(key, session);
    this.#store?.create({ apiVersion: "sts.moor.dev/v1", kind: sessionKind, metadata: { name: key }, spec: { ...session } });
    return { AccessKeyId: key, SecretAccessKey: secret, SessionToken: randomBytes(96).toString("base64"), Expiration: new Date(expiresMs), AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: arn } };
  }

  /** The session's identity; "expired" once its time is over; undefined for a key Moor did not issue. */
  identityOf(accessKeyId: string, nowMs: number): CallerIdentity | "expired" | undefined {
    const session = this.#sessions.get(accessKeyId);
    if (!session) return undefined;
    return session.expiresMs <= nowMs ? "expired" : session.identity;
  }

  secretOf(accessKeyId: string, nowMs: number): string | undefined {
    const session = this.#sessions.get(accessKeyId);
    return session && session.expiresMs > nowMs ? session.secret : undefined;
  }

  #prune(nowMs: number): void {
    for (const [key, session] of this.#sessions) if (session.expiresMs <= nowMs) this.#forget(key);
  }

  #forget(key: string): void {
    this.#sessions.delete(key);
    if (this.#store?.get({ kind: sessionKind, name: key })) this.#store.delete({ kind: sessionKind, name: key });
  }
}
