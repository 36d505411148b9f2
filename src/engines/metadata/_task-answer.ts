// The ECS task metadata endpoint's answers (http://169.254.170.2, docs/compat/ecs.md): v4 and
// v3 container and task metadata, container and task stats (read by _stats.ts), and the task
// role's credentials at /v2/credentials/<id>. A task is known by the source address of the
// request, so a container reads only its own task; an id that is not its task's is not found.
// Credentials are issued by Moor's STS (through the server's IPC channel) and kept until a
// quarter-hour before they expire.

import type { TaskMetadata } from "../../domain/ecs/mod.js";
import type { MetadataAnswer } from "./_answer.js";
import { type ContainerSandbox, ContainerStatsReader } from "./_stats.js";

/** Reads a running container's stats (Docker's shape); undefined when it has none. */
export interface StatsSource {
  read(sandbox: ContainerSandbox, name: string, dockerId: string, nowMs: number): Record<string, unknown> | undefined;
}

/** What /v2/credentials/<id> answers, in the ECS agent's member names. */
export interface TaskCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  /** ISO 8601, UTC. */
  Expiration: string;
  RoleArn: string;
}

export interface CredentialsRequest {
  roleArn: string;
  sessionName: string;
}

/** An answer now, or the credentials to ask Moor for (then `credentialsAnswer`). */
export type TaskAnswer = { answer: MetadataAnswer } | { issue: CredentialsRequest; id: string };

/** Cached credentials at most (one per task with a role). */
export const credentialsCacheMax = 10_000;
/** Kept credentials are asked for anew this long before they expire (tasks' and instances'). */
export const refreshBeforeMs = 15 * 60_000;

function json(status: number, body: unknown): MetadataAnswer {
  return { status, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

const notFound = (what: string) => json(404, { code: "NotFound", message: `Cannot find ${what} for this task` });

export class TaskMetadataService {
  #tasks = new Map<string, TaskMetadata>();
  readonly #credentials = new Map<string, TaskCredentials>();
  readonly #stats: StatsSource;

  constructor(stats: StatsSource = new ContainerStatsReader()) {
    this.#stats = stats;
  }

  publish(tasks: readonly TaskMetadata[]): void {
    this.#tasks = new Map(tasks.map((task) => [task.address, task]));
    const live = new Set(tasks.flatMap((task) => (task.credentials ? [task.credentials.id] : [])));
    for (const id of this.#credentials.keys()) if (!live.has(id)) this.#credentials.delete(id);
  }

  answer(method: string, path: string, address: string, nowMs: number): TaskAnswer {
    if (method !== "GET" && method !== "HEAD") return { answer: json(405, { code: "MethodNotAllowed", message: `Cannot ${method} ${path}: only GET is served` }) };
    const task = this.#tasks.get(address);
    if (!task) return { answer: notFound(`task metadata: no task has address ${address}`) };
    const credentials = /^\/v2\/credentials\/([^/]+)$/.exec(path);
    if (credentials) {
      const id = credentials[1]!;
      if (task.credentials?.id !== id) return { answer: notFound(`credentials "${id}"`) };
      const cached = this.#credentials.get(id);
      if (cached && Date.parse(cached.Expiration) - nowMs > refreshBeforeMs) return { answer: json(200, cached) };
      return { issue: { roleArn: task.credentials.roleArn, sessionName: task.credentials.sessionName }, id };
    }
    const metadata = /^\/v[34]\/([^/]+)(\/task)?(\/stats)?\/?$/.exec(path);
    const container = metadata ? task.containers[metadata[1]!] : undefined;
    if (!metadata || !container) return { answer: notFound(`metadata at ${JSON.stringify(path)}`) };
    if (metadata[3]) {
      const statsOf = (dockerId: string) => {
        const sandbox = task.sandboxes?.[dockerId];
        return sandbox ? this.#stats.read(sandbox, String(task.containers[dockerId]?.Name ?? ""), dockerId, nowMs) : undefined;
      };
      if (metadata[2]) return { answer: json(200, Object.fromEntries(Object.keys(task.containers).map((dockerId) => [dockerId, statsOf(dockerId) ?? null]))) };
      const stats = statsOf(metadata[1]!);
      return { answer: stats ? json(200, stats) : notFound(`stats of ${metadata[1]}: the container is not running`) };
    }
    return { answer: json(200, metadata[2] ? task.task : container) };
  }

  /** The answer once Moor issued the credentials (kept for the next request), or failed to. */
  credentialsAnswer(id: string, issued: TaskCredentials | { error: string }): MetadataAnswer {
    if ("error" in issued) return json(500, { code: "InternalError", message: `Cannot issue credentials: ${issued.error}` });
    if (this.#credentials.size >= credentialsCacheMax) this.#credentials.delete(this.#credentials.keys().next().value!);
    this.#credentials.set(id, issued);
    return json(200, issued);
  }
}
