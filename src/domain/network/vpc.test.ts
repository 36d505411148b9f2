import assert from "node:assert/strict";
import { it } from "node:test";
import { addressRanges, embeddedVpc, numberToIp } from "./mod.js";

it("addressRanges() splits each subnet into ranges that neither overlap nor leave the subnet", () => {
  for (const subnet of embeddedVpc("us-east-1").subnets) {
    const { fargate, nodeGroupPods, interfaces } = addressRanges(subnet);
    assert.equal(fargate.first, subnet.firstHost);
    assert.ok(fargate.last < nodeGroupPods.first && nodeGroupPods.last < interfaces.first);
    assert.equal(interfaces.last, subnet.lastHost);
    assert.ok(interfaces.last - interfaces.first + 1 >= 1000, "room for a mount target of each of 1,000 file systems");
  }
  const [a] = embeddedVpc("us-east-1").subnets;
  const ranges = addressRanges(a!);
  assert.deepEqual([ranges.fargate.first, ranges.fargate.last, ranges.nodeGroupPods.first, ranges.interfaces.first].map(numberToIp), ["10.42.0.4", "10.42.7.254", "10.42.8.0", "10.42.12.0"]);
});
