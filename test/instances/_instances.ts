// What the instance tests share: ending every instance of a Moor (terminate, then wait for
// their pods to go), since the instance controller would bring back a pod deleted under a
// running instance, and sandboxes outlive Moor by design.

import { aws, type MoorUnderTest } from "../harness.js";
import { kubectlJson, waitFor } from "../kubectl.js";

export async function terminateAll(moor: MoorUnderTest): Promise<void> {
  const listed = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "ec2", "describe-instances", "--query", "Reservations[].Instances[].InstanceId", "--output", "text"]);
  const ids = listed.stdout.trim().split(/\s+/).filter((id) => id !== "");
  if (ids.length > 0) await aws(moor, ["--endpoint-url", moor.awsEndpoint, "ec2", "terminate-instances", "--instance-ids", ...ids]);
  await waitFor("the instances' pods to go", async () => (await kubectlJson(moor, ["get", "pods", "-n", "aws-ec2", "-o", "json"])).items.length === 0, 60_000);
}
