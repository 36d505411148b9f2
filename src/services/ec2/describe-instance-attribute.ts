// DescribeInstanceAttribute: the attributes Terraform's aws_instance and the CLI read (userData,
// instanceType, disableApiTermination, disableApiStop, instanceInitiatedShutdownBehavior,
// groupSet, rootDeviceName, sourceDestCheck, ebsOptimized, enaSupport, blockDeviceMapping).

import type { Ec2Context } from "./_context.js";
import { ec2Error } from "./_context.js";
import { requireInstance } from "./_instances.js";

export function describeInstanceAttribute(context: Ec2Context, input: { InstanceId: string; Attribute: string }) {
  const instance = requireInstance(context, input.InstanceId);
  const value = (text: string | undefined) => (text === undefined ? {} : { Value: text });
  const flag = (on: boolean) => ({ Value: on });
  const attributes: Record<string, () => object> = {
    userData: () => ({ UserData: value(instance.spec.userData) }),
    instanceType: () => ({ InstanceType: value(instance.spec.instanceType) }),
    disableApiTermination: () => ({ DisableApiTermination: flag(false) }),
    disableApiStop: () => ({ DisableApiStop: flag(false) }),
    instanceInitiatedShutdownBehavior: () => ({ InstanceInitiatedShutdownBehavior: value("stop") }),
    groupSet: () => ({ Groups: instance.spec.securityGroupIds.map((id) => ({ GroupId: id })) }),
    rootDeviceName: () => ({ RootDeviceName: value("/dev/xvda") }),
    sourceDestCheck: () => ({ SourceDestCheck: flag(true) }),
    ebsOptimized: () => ({ EbsOptimized: flag(false) }),
    enaSupport: () => ({ EnaSupport: flag(true) }),
    blockDeviceMapping: () => ({ BlockDeviceMappings: [] }),
    kernel: () => ({ KernelId: {} }),
    ramdisk: () => ({ RamdiskId: {} }),
  };
  const read = attributes[input.Attribute];
  if (!read) throw ec2Error("Invalid", "InvalidParameterValue", `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`);
  return { InstanceId: instance.metadata.name, ...read() };
}
