// DescribeInstanceTypes: the types Moor knows (_instance-types.ts), by name or all, with the
// members Terraform's aws_instance reads (burstable support, vCPUs, memory, architecture).

import { ec2Error } from "./_context.js";
import { instanceTypeShape, knownInstanceTypes } from "./_instance-types.js";

export function describeInstanceTypes(_context: unknown, input: { InstanceTypes?: string[] }) {
  const names = input.InstanceTypes?.length ? input.InstanceTypes : knownInstanceTypes();
  return {
    InstanceTypes: names.map((name) => {
      const shape = instanceTypeShape(name);
      if (!shape) throw ec2Error("Invalid", "InvalidInstanceType", `The following supplied instance types do not exist: [${name}]`);
      return {
        InstanceType: name,
        CurrentGeneration: true,
        FreeTierEligible: name === "t2.micro" || name === "t3.micro",
        SupportedUsageClasses: ["on-demand", "spot"],
        SupportedRootDeviceTypes: ["ebs"],
        SupportedVirtualizationTypes: ["hvm"],
        BareMetal: false,
        Hypervisor: name.startsWith("t2.") ? "xen" : "nitro",
        ProcessorInfo: { SupportedArchitectures: ["x86_64"], SustainedClockSpeedInGhz: 2.5 },
        VCpuInfo: { DefaultVCpus: shape.vcpus, DefaultCores: Math.max(1, shape.vcpus / 2), DefaultThreadsPerCore: shape.vcpus > 1 ? 2 : 1 },
        MemoryInfo: { SizeInMiB: shape.memoryMiB },
        InstanceStorageSupported: false,
        EbsInfo: { EbsOptimizedSupport: "default", EncryptionSupport: "supported", NvmeSupport: "required" },
        NetworkInfo: { NetworkPerformance: "Up to 5 Gigabit", MaximumNetworkInterfaces: 3, MaximumNetworkCards: 1, DefaultNetworkCardIndex: 0, Ipv4AddressesPerInterface: 6, Ipv6AddressesPerInterface: 6, Ipv6Supported: true, EnaSupport: "required", EfaSupported: false, EncryptionInTransitSupported: false },
        PlacementGroupInfo: { SupportedStrategies: ["partition", "spread"] },
        HibernationSupported: false,
        BurstablePerformanceSupported: shape.burstable,
        DedicatedHostsSupported: false,
        AutoRecoverySupported: true,
        SupportedBootModes: ["legacy-bios", "uefi"],
      };
    }),
  };
}
