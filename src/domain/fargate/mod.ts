// Fargate pod sizing, as EKS computes it (reference/aws-semantics.md §4.3): the largest init
// container request against the sum of the app containers, per resource, plus 256 MB for the
// node's own agents, rounded up to the smallest size in Fargate's table that holds both.
// Pure: quantities in, a size out.

import { parseQuantity } from "../quantity/mod.js";

export interface FargateSize {
  /** Thousandths of a vCPU, as cgroups and Kubernetes count them. */
  cpuMillis: number;
  memoryMiB: number;
  /** The pod's `CapacityProvisioned` annotation, e.g. "0.25vCPU 0.5GB". */
  annotation: string;
}

export interface ContainerResources {
  requests?: Record<string, string | number>;
  limits?: Record<string, string | number>;
}

export interface SizedContainer {
  resources?: ContainerResources;
}

export const capacityAnnotation = "CapacityProvisioned";
export const overheadMiB = 256;

interface Row {
  cpuMillis: number;
  memoryGiB: number[];
}

function steps(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

const table: Row[] = [
  { cpuMillis: 250, memoryGiB: [0.5, 1, 2] },
  { cpuMillis: 500, memoryGiB: [1, 2, 3, 4] },
  { cpuMillis: 1000, memoryGiB: steps(2, 8, 1) },
  { cpuMillis: 2000, memoryGiB: steps(4, 16, 1) },
  { cpuMillis: 4000, memoryGiB: steps(8, 30, 1) },
  { cpuMillis: 8000, memoryGiB: steps(16, 60, 4) },
  { cpuMillis: 16000, memoryGiB: steps(32, 120, 8) },
];

/** A container's claim on one resource: its request, or its limit when it sets no request. */
function claim(container: SizedContainer, resource: "cpu" | "memory"): number {
  const value = container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource];
  if (value === undefined) return 0;
  const parsed = parseQuantity(value);
  if (parsed === undefined) throw new Error(`Cannot size the pod: ${resource} quantity ${JSON.stringify(value)} is malformed`);
  return resource === "cpu" ? Math.ceil(parsed * 1000) : Math.ceil(parsed);
}

/** What the pod asks for before overhead and rounding: max(largest init, sum of app). */
export function podRequest(spec: { containers: SizedContainer[]; initContainers?: SizedContainer[] }) {
  const request = (resource: "cpu" | "memory") => {
    const init = Math.max(0, ...(spec.initContainers ?? []).map((container) => claim(container, resource)));
    const app = spec.containers.reduce((sum, container) => sum + claim(container, resource), 0);
    return Math.max(init, app);
  };
  return { cpuMillis: request("cpu"), memoryBytes: request("memory") };
}

/** The size Fargate provisions for a pod; undefined when no Fargate size is large enough. */
export function fargateSize(spec: { containers: SizedContainer[]; initContainers?: SizedContainer[] }): FargateSize | undefined {
  const request = podRequest(spec);
  const memoryMiB = request.memoryBytes / 1024 ** 2 + overheadMiB;
  for (const row of table) {
    if (row.cpuMillis < request.cpuMillis) continue;
    const memoryGiB = row.memoryGiB.find((gib) => gib * 1024 >= memoryMiB);
    if (memoryGiB === undefined) continue;
    return {
      cpuMillis: row.cpuMillis,
      memoryMiB: memoryGiB * 1024,
      annotation: `${row.cpuMillis / 1000}vCPU ${memoryGiB}GB`,
    };
  }
  return undefined;
}
