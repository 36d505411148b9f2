// The server images DB instances run, made on first need: an image missing from the image store
// is built (by the caller's `build`, Moor's builder in the embedded wiring) once, however many
// instances wait for it. A failed build fails the instances that were waiting for it; an
// instance created after the failure starts a new build.

import type { Clock } from "../../clock/mod.js";

export type ServerName = "mariadb" | "postgres";

/** What an instance sees of its image: its reference, still being made, or why it cannot be. */
export type ImageState = { ready: string } | { pending: true } | { failed: string };

export interface ServerImageOptions {
  /** The references instances run, by server. */
  references: Record<ServerName, string>;
  /** Whether the image store holds the reference. */
  present(reference: string): boolean;
  /** Makes the reference present (a build); rejects with what went wrong. */
  build(server: ServerName, reference: string): Promise<void>;
  clock: Clock;
}

export interface ServerImageSource {
  /** The image for an instance waiting since `sinceMs` (its creation or its last status change). */
  state(server: ServerName, sinceMs: number): ImageState;
}

interface Attempt {
  done: boolean;
  failure?: { message: string; atMs: number };
}

export function createServerImageSource(options: ServerImageOptions): ServerImageSource {
  const attempts = new Map<ServerName, Attempt>();
  const start = (server: ServerName, reference: string): Attempt => {
    const attempt: Attempt = { done: false };
    attempts.set(server, attempt);
    options.build(server, reference).then(
      () => (attempt.done = true),
      (error: unknown) => {
        attempt.done = true;
        attempt.failure = { message: error instanceof Error ? error.message : String(error), atMs: options.clock.now().getTime() };
      },
    );
    return attempt;
  };
  return {
    state(server, sinceMs) {
      const reference = options.references[server];
      let attempt = attempts.get(server);
      if (attempt?.done && !attempt.failure && options.present(reference)) return { ready: reference };
      if (!attempt && options.present(reference)) return { ready: reference };
      if (attempt?.failure && attempt.failure.atMs >= sinceMs) return { failed: attempt.failure.message };
      if (!attempt || attempt.done) attempt = start(server, reference);
      return { pending: true };
    },
  };
}

/** The images are there already (unit tests, or a caller that builds them itself). */
export function presentImages(references: Record<ServerName, string>): ServerImageSource {
  return { state: (server) => ({ ready: references[server] }) };
}
