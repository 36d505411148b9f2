// The instance metadata service's answers (IMDS, http://169.254.169.254): IMDSv2 session
// tokens (PUT /latest/api/token with a TTL of 1 to 21600 seconds, then the token in
// X-aws-ec2-metadata-token), IMDSv1 for instances that allow it, and the paths user data and
// the AWS tools read. An instance is known by the source address of the request. The role
// credentials of an instance profile (iam/security-credentials/<role>) are issued by Moor's STS:
// _instance-credentials.ts answers that path; this tree lists it.

import { randomBytes } from "node:crypto";
import { timestamp } from "../../clock/mod.js";

export interface InstanceMetadata {
  instanceId: string;
  privateIp: string;
  availabilityZone: string;
  region: string;
  instanceType: string;
  imageId: string;
  accountId: string;
  hostname: string;
  securityGroups: string[];
  /** Base64, as RunInstances got it. */
  userData?: string;
  httpTokens: "optional" | "required";
  launchTime: string;
  /** The instance profile RunInstances named, with the ARN of its role when it has one. */
  instanceProfile?: { arn: string; id: string; roleArn?: string };
}

export interface MetadataAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Live tokens at most; the oldest go first past it. */
export const tokensMax = 10_000;
const ttlMaxSeconds = 21_600;

function text(status: number, body: string, headers: Record<string, string> = {}): MetadataAnswer {
  return { status, headers: { "Content-Type": "text/plain", ...headers }, body };
}

/** The role's name, the last part of its ARN (a path may come before it). */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}

function iamEntries(instance: InstanceMetadata): Record<string, string> {
  const profile = instance.instanceProfile;
  if (!profile) return {};
  const info = { Code: "Success", LastUpdated: timestamp(new Date(instance.launchTime)), InstanceProfileArn: profile.arn, InstanceProfileId: profile.id };
  // The credentials' own value is never read from here: _instance-credentials.ts answers it.
  return { "iam/info": JSON.stringify(info, null, 2), ...(profile.roleArn ? { [`iam/security-credentials/${roleNameOf(profile.roleArn)}`]: "" } : {}) };
}

function metaData(instance: InstanceMetadata): Record<string, string> {
  const mac = "02:42:0a:2a:00:01";
  return {
    ...iamEntries(instance),
    "ami-id": instance.imageId,
    "ami-launch-index": "0",
    hostname: instance.hostname,
    "instance-id": instance.instanceId,
    "instance-type": instance.instanceType,
    "local-hostname": instance.hostname,
    "local-ipv4": instance.privateIp,
    mac,
    "placement/availability-zone": instance.availabilityZone,
    "placement/region": instance.region,
    "security-groups": instance.securityGroups.join("\n"),
    "services/domain": "amazonaws.com",
  };
}

function identityDocument(instance: InstanceMetadata): string {
  return JSON.stringify({
    accountId: instance.accountId,
    architecture: "x86_64",
    availabilityZone: instance.availabilityZone,
    imageId: instance.imageId,
    instanceId: instance.instanceId,
    instanceType: instance.instanceType,
    pendingTime: instance.launchTime,
    privateIp: instance.privateIp,
    region: instance.region,
    version: "2017-09-30",
  }, null, 2);
}

/** The listing of a directory of the metadata tree, as IMDS gives it (subdirectories end in /). */
function listing(entries: Record<string, string>, prefix: string): string | undefined {
  const names = new Set<string>();
  for (const path of Object.keys(entries)) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf("/");
    names.add(slash < 0 ? rest : `${rest.slice(0, slash + 1)}`);
  }
  return names.size > 0 ? [...names].sort().join("\n") : undefined;
}

export class MetadataService {
  #instances = new Map<string, InstanceMetadata>();
  /** token → (address it was issued to, expiry in ms). */
  readonly #tokens = new Map<string, { address: string; expiresMs: number }>();

  publish(instances: readonly InstanceMetadata[]): void {
    this.#instances = new Map(instances.map((instance) => [instance.privateIp, instance]));
  }

  /** The instance at `address`, as last published. */
  instanceAt(address: string): InstanceMetadata | undefined {
    return this.#instances.get(address);
  }

  answer(method: string, path: string, headers: Record<string, string | undefined>, address: string, nowMs: number): MetadataAnswer {
    const instance = this.#instances.get(address);
    if (path === "/latest/api/token") {
      if (method !== "PUT") return text(405, "Method Not Allowed");
      const ttl = Number(headers["x-aws-ec2-metadata-token-ttl-seconds"]);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > ttlMaxSeconds) return text(400, "Bad Request");
      if (headers["x-forwarded-for"]) return text(403, "Forbidden");
      const token = randomBytes(32).toString("base64url");
      if (this.#tokens.size >= tokensMax) this.#tokens.delete(this.#tokens.keys().next().value!);
      this.#tokens.set(token, { address, expiresMs: nowMs + ttl * 1000 });
      return text(200, token, { "X-Aws-Ec2-Metadata-Token-Ttl-Seconds": String(ttl) });
    }
    if (method !== "GET" && method !== "HEAD") return text(405, "Method Not Allowed");
    if (!instance) return text(404, "Not Found");
    const token = headers["x-aws-ec2-metadata-token"];
    if (token !== undefined) {
      const issued = this.#tokens.get(token);
      if (!issued || issued.expiresMs <= nowMs || issued.address !== address) return text(401, "Unauthorized");
    } else if (instance.httpTokens === "required") {
      return text(401, "Unauthorized");
    }
    return this.#read(instance, path);
  }

  #read(instance: InstanceMetadata, path: string): MetadataAnswer {
    if (path === "/latest/user-data") {
      return instance.userData ? text(200, Buffer.from(instance.userData, "base64").toString("utf8"), { "Content-Type": "application/octet-stream" }) : text(404, "Not Found");
    }
    if (path === "/latest/dynamic/instance-identity/document") return text(200, identityDocument(instance), { "Content-Type": "application/json" });
    if (path === "/latest" || path === "/latest/") return text(200, "dynamic\nmeta-data\nuser-data");
    if (!path.startsWith("/latest/meta-data")) return text(404, "Not Found");
    const entries = metaData(instance);
    const key = path.slice("/latest/meta-data".length).replace(/^\//, "");
    if (key === "" || key.endsWith("/")) {
      const listed = listing(entries, key);
      return listed === undefined ? text(404, "Not Found") : text(200, listed);
    }
    const value = entries[key];
    if (value !== undefined) return text(200, value);
    const listed = listing(entries, `${key}/`);
    return listed === undefined ? text(404, "Not Found") : text(200, listed);
  }
}
