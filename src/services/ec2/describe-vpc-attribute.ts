// DescribeVpcAttribute: one of DNS support, DNS hostnames and address-usage metrics.

import { type CallContext, type Ec2Context, ec2Error } from "./_context.js";
import { requireVpc } from "./_objects.js";

export interface DescribeVpcAttributeInput {
  VpcId: string;
  Attribute: string;
}

export function describeVpcAttribute(context: Ec2Context, input: DescribeVpcAttributeInput, _call: CallContext) {
  const { spec } = requireVpc(context, input.VpcId);
  const value = (flag: boolean) => ({ Value: flag });
  switch (input.Attribute) {
    case "enableDnsSupport":
      return { VpcId: input.VpcId, EnableDnsSupport: value(spec.enableDnsSupport) };
    case "enableDnsHostnames":
      return { VpcId: input.VpcId, EnableDnsHostnames: value(spec.enableDnsHostnames) };
    case "enableNetworkAddressUsageMetrics":
      return { VpcId: input.VpcId, EnableNetworkAddressUsageMetrics: value(spec.enableNetworkAddressUsageMetrics) };
    default:
      throw ec2Error("Invalid", "InvalidParameterValue", `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
}
