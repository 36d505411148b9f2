// A task's Fargate size (reference/aws-semantics.md §5.2, aws-control-plane.md §7.3): the task
// level `cpu` and `memory` strings as ECS reads them ("256" or "0.25 vCPU"; "1024", "1GB" or
// "1 GB"), and the table of pairs Fargate runs. Unlike EKS, ECS uses the pair as given: no
// overhead, no rounding up.

export interface TaskSize {
  /** CPU units: 1024 per vCPU. */
  cpuUnits: number;
  memoryMiB: number;
}

interface Row {
  cpuUnits: number;
  memoryMiB: readonly number[];
}

function steps(fromMiB: number, toMiB: number, stepMiB: number): number[] {
  const values: number[] = [];
  for (let value = fromMiB; value <= toMiB; value += stepMiB) values.push(value);
  return values;
}

const fargateTable: readonly Row[] = [
  { cpuUnits: 256, memoryMiB: [512, 1024, 2048] },
  { cpuUnits: 512, memoryMiB: steps(1024, 4096, 1024) },
  { cpuUnits: 1024, memoryMiB: steps(2048, 8192, 1024) },
  { cpuUnits: 2048, memoryMiB: steps(4096, 16384, 1024) },
  { cpuUnits: 4096, memoryMiB: steps(8192, 30720, 1024) },
  { cpuUnits: 8192, memoryMiB: steps(16384, 61440, 4096) },
  { cpuUnits: 16384, memoryMiB: steps(32768, 122880, 8192) },
];

/** "256" → 256, "1 vCPU" / "0.25 vcpu" → units; undefined when ECS could not read it. */
export function parseCpuUnits(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const units = match[2] ? amount * 1024 : amount;
  return Number.isInteger(units) ? units : undefined;
}

/** "1024" → 1024, "1GB" / "1 gb" → 1024; undefined when ECS could not read it. */
export function parseMemoryMiB(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const mib = match[2] ? amount * 1024 : amount;
  return Number.isInteger(mib) ? mib : undefined;
}

/** Whether Fargate runs a task of this size. */
export function isFargateSize(size: TaskSize): boolean {
  return fargateTable.some((row) => row.cpuUnits === size.cpuUnits && row.memoryMiB.includes(size.memoryMiB));
}

/** CPU units as thousandths of a vCPU, as cgroups and Kubernetes count them (256 → 250). */
export function cpuMillisOfUnits(cpuUnits: number): number {
  return Math.round((cpuUnits * 1000) / 1024);
}
