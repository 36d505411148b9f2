// Records Kubernetes Events (core/v1) for what controllers and the node agent do, so
// `kubectl describe` and `kubectl get events` show them. Repeats of the same event on the same
// object are folded into one Event whose count and lastTimestamp grow, as upstream does.

import { createHash } from "node:crypto";
import type { Store, StoredObject } from "../store/mod.js";

export type EventType = "Normal" | "Warning";

export interface EventSource {
  component: string;
  host?: string;
}

export interface Recorder {
  record(object: StoredObject, type: EventType, reason: string, message: string): void;
}

export function createRecorder(store: Store, source: EventSource, now: () => Date = () => new Date()): Recorder {
  return {
    record(object, type, reason, message) {
      const namespace = object.metadata.namespace || "default";
      const digest = createHash("sha1")
        .update([object.kind, object.metadata.name, object.metadata.uid ?? "", type, reason, message, source.component].join("\u0000"))
        .digest("hex")
        .slice(0, 16);
      const name = `${object.metadata.name}.${digest}`;
      const timestamp = now().toISOString().replace(/\.\d{3}Z$/, "Z");
      try {
        store.transaction(() => {
          const existing = store.get({ kind: "Event", namespace, name });
          if (existing) {
            store.update({ ...existing, count: (existing.count ?? 1) + 1, lastTimestamp: timestamp });
            return;
          }
          store.create({
            apiVersion: "v1",
            kind: "Event",
            metadata: { name, namespace },
            involvedObject: {
              apiVersion: object.apiVersion,
              kind: object.kind,
              name: object.metadata.name,
              namespace: object.metadata.namespace,
              uid: object.metadata.uid,
              resourceVersion: object.metadata.resourceVersion,
            },
            reason,
            message,
            type,
            source,
            count: 1,
            firstTimestamp: timestamp,
            lastTimestamp: timestamp,
            reportingComponent: source.component,
            reportingInstance: source.host ?? "",
          });
        });
      } catch (error) {
        // An event is a report, never a reason for the action it reports to fail.
        console.error(`moor: recording event ${reason} on ${object.kind} "${object.metadata.name}" failed:`, error);
      }
    },
  };
}
