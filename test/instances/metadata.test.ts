// Issue 13: the instance metadata service at 169.254.169.254 from inside an instance: an
// IMDSv2 token (PUT /latest/api/token), then the instance's own id, address, zone and user
// data; with HttpTokens=required a request without a token is refused (401). The user data
// itself reads its instance id from IMDS at first boot.

import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { aws, type MoorUnderTest, startMoor } from "../harness.js";
import { kubectl, waitFor } from "../kubectl.js";
import { terminateAll } from "./_instances.js";

let moor: MoorUnderTest;
before(async () => {
  moor = await startMoor();
});
after(async () => {
  try {
    if (moor) await terminateAll(moor);
  } finally {
    await moor?.dispose();
  }
});

// Debian's minimal image has no curl: bash's /dev/tcp speaks HTTP/1.0 well enough.
const client = `imds() { local extra=""; [ -n "$3" ] && extra="$3"$'\\r\\n'; exec 3<>/dev/tcp/169.254.169.254/80; printf '%s %s HTTP/1.0\\r\\nHost: 169.254.169.254\\r\\n%s\\r\\n' "$1" "$2" "$extra" >&3; cat <&3 | tr -d '\\r'; exec 3<&-; }
body() { sed '1,/^$/d'; }`;

async function inInstance(id: string, script: string): Promise<string> {
  const result = await kubectl(moor, ["exec", "-n", "aws-ec2", id, "--", "bash", "-c", `${client}\n${script}`]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

it("serves an instance its own metadata with IMDSv2 tokens, and refuses a tokenless request when tokens are required", async () => {
  const userData = `#!/bin/bash\n${client}\nTOKEN=$(imds PUT /latest/api/token 'X-aws-ec2-metadata-token-ttl-seconds: 300' | body)\necho "my id is $(imds GET /latest/meta-data/instance-id "X-aws-ec2-metadata-token: $TOKEN" | body)"\n`;
  const run = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "ec2", "run-instances", "--image-id", "ami-0abcdef1234567890", "--instance-type", "t3.micro", "--count", "1",
    "--metadata-options", "HttpTokens=required", "--user-data", userData, "--query", "Instances[0].InstanceId", "--output", "text"]);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  const described = await waitFor("the instance to run", async () => {
    const result = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "ec2", "describe-instances", "--instance-ids", id, "--output", "json"]);
    const instance = JSON.parse(result.stdout).Reservations[0].Instances[0];
    return instance.State.Name === "running" ? instance : undefined;
  }, 90_000);
  const console = await waitFor("the user data's line", async () => {
    const logs = await kubectl(moor, ["logs", "-n", "aws-ec2", id]);
    return /my id is/.test(logs.stdout) ? logs.stdout : undefined;
  });
  assert.match(console, new RegExp(`my id is ${id}\\n`));
  const read = (path: string) => `imds GET ${path} "X-aws-ec2-metadata-token: $TOKEN" | body; echo`;
  const answers = await inInstance(id, `TOKEN=$(imds PUT /latest/api/token 'X-aws-ec2-metadata-token-ttl-seconds: 60' | body)
${read("/latest/meta-data/instance-id")}
${read("/latest/meta-data/local-ipv4")}
${read("/latest/meta-data/placement/availability-zone")}
${read("/latest/user-data")}`);
  assert.deepEqual(answers.split("\n").slice(0, 3), [id, described.PrivateIpAddress, described.Placement.AvailabilityZone]);
  assert.match(answers, /#!\/bin\/bash\nimds\(\)/);
  const refused = await inInstance(id, "imds GET /latest/meta-data/instance-id '' | head -1");
  assert.match(refused, /^HTTP\/1\.[01] 401/);
  const badToken = await inInstance(id, "imds GET /latest/meta-data/instance-id 'X-aws-ec2-metadata-token: forged' | head -1");
  assert.match(badToken, /^HTTP\/1\.[01] 401/);
});
