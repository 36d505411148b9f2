// DescribeAccountAttributes: a VPC-only account with no default VPC, and EC2's default limits.

import type { CallContext, Ec2Context } from "./_context.js";

export interface DescribeAccountAttributesInput {
  AttributeNames?: string[];
}

const attributes: Record<string, string[]> = {
  "supported-platforms": ["VPC"],
  "default-vpc": ["none"],
  "max-instances": ["20"],
  "vpc-max-security-groups-per-interface": ["5"],
  "max-elastic-ips": ["5"],
  "vpc-max-elastic-ips": ["5"],
};

export function describeAccountAttributes(_context: Ec2Context, input: DescribeAccountAttributesInput, _call: CallContext) {
  const names = input.AttributeNames?.length ? input.AttributeNames.filter((name) => name in attributes) : Object.keys(attributes);
  return {
    AccountAttributes: names.map((name) => ({ AttributeName: name, AttributeValues: attributes[name]!.map((value) => ({ AttributeValue: value })) })),
  };
}
