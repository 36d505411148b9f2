// The instance types Moor knows: the burstable t2, t3 and t3a families and the general
// purpose, compute and memory families m5, m6i, c5, c6i, r5, with AWS's vCPU and memory per
// size. An instance's sandbox is sized by them; DescribeInstanceTypes describes them.

const burstableMemoryMiB: Record<string, number> = { nano: 512, micro: 1024, small: 2048, medium: 4096, large: 8192, xlarge: 16384, "2xlarge": 32768 };
const vcpusBySize: Record<string, number> = { large: 2, xlarge: 4, "2xlarge": 8, "4xlarge": 16 };
const memoryPerVcpuMiB: Record<string, number> = { m5: 4096, m6i: 4096, c5: 2048, c6i: 2048, r5: 8192 };

export interface InstanceTypeShape {
  vcpus: number;
  memoryMiB: number;
  burstable: boolean;
}

export function instanceTypeShape(instanceType: string): InstanceTypeShape | undefined {
  const [family = "", size = ""] = instanceType.split(".");
  if (["t2", "t3", "t3a"].includes(family)) {
    const memoryMiB = burstableMemoryMiB[size];
    if (memoryMiB === undefined) return undefined;
    return { vcpus: size === "xlarge" ? 4 : size === "2xlarge" ? 8 : family === "t2" && ["nano", "micro", "small"].includes(size) ? 1 : 2, memoryMiB, burstable: true };
  }
  const perVcpu = memoryPerVcpuMiB[family];
  const vcpus = vcpusBySize[size];
  if (perVcpu === undefined || vcpus === undefined) return undefined;
  return { vcpus, memoryMiB: vcpus * perVcpu, burstable: false };
}

export function knownInstanceTypes(): string[] {
  const burstable = ["t2", "t3", "t3a"].flatMap((family) => Object.keys(burstableMemoryMiB).map((size) => `${family}.${size}`));
  const others = Object.keys(memoryPerVcpuMiB).flatMap((family) => Object.keys(vcpusBySize).map((size) => `${family}.${size}`));
  return [...burstable, ...others];
}
