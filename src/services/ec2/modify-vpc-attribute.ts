// ModifyVpcAttribute: one attribute per call, as EC2 requires.

import { type CallContext, type Ec2Context, ec2Error } from "./_context.js";
import { requireVpc } from "./_objects.js";

export interface ModifyVpcAttributeInput {
  VpcId: string;
  EnableDnsSupport?: { Value?: boolean };
  EnableDnsHostnames?: { Value?: boolean };
  EnableNetworkAddressUsageMetrics?: { Value?: boolean };
}

export function modifyVpcAttribute(context: Ec2Context, input: ModifyVpcAttributeInput, _call: CallContext): void {
  const given = (["EnableDnsSupport", "EnableDnsHostnames", "EnableNetworkAddressUsageMetrics"] as const).filter((name) => input[name] !== undefined);
  if (given.length !== 1) throw ec2Error("Invalid", "InvalidParameterCombination", "Fields for multiple attribute types specified: exactly one attribute may be modified per call");
  const name = given[0]!;
  const value = input[name]?.Value;
  if (typeof value !== "boolean") throw ec2Error("Invalid", "MissingParameter", `The request must contain the parameter ${name}.Value`);
  context.store.transaction(() => {
    const vpc = requireVpc(context, input.VpcId);
    if (name === "EnableDnsHostnames" && value && !vpc.spec.enableDnsSupport) {
      throw ec2Error("Invalid", "InvalidParameterValue", "enableDnsHostnames cannot be enabled while enableDnsSupport is disabled");
    }
    const key = `${name[0]!.toLowerCase()}${name.slice(1)}` as "enableDnsSupport" | "enableDnsHostnames" | "enableNetworkAddressUsageMetrics";
    context.store.update({ ...vpc, spec: { ...vpc.spec, [key]: value } });
  });
}
