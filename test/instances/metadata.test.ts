// Issue 13: the instance metadata service at 169.254.169.254 from inside an instance: an
// IMDSv2 token (PUT /latest/api/token), then the instance's own id, address, zone and user
// data; with HttpTokens=required a request without a token is refused (401). The user data
// itself reads its instance id from IMDS at first boot. An instance launched with an instance
// profile reads its role's credentials there, and the JavaScript SDK's STS, signed with them,
// answers the assumed role with the instance id as the session, before and after a restart of Moor.

import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
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

it("gives an instance launched with an instance profile its role's credentials, which STS answers as the assumed role", async () => {
  const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };
  const iam = new IAMClient({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials, maxAttempts: 1 });
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
  const role = (await iam.send(new CreateRoleCommand({ RoleName: "web-role", Path: "/app/", AssumeRolePolicyDocument: trust }))).Role!;
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "web" }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "web", RoleName: "web-role" }));
  iam.destroy();
  const run = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "ec2", "run-instances", "--image-id", "ami-0abcdef1234567890", "--instance-type", "t3.micro", "--count", "1",
    "--iam-instance-profile", "Name=web", "--metadata-options", "HttpTokens=required", "--query", "Instances[0].InstanceId", "--output", "text"]);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  await waitFor("the instance to run", async () => {
    const result = await aws(moor, ["--endpoint-url", moor.awsEndpoint, "ec2", "describe-instances", "--instance-ids", id, "--query", "Reservations[0].Instances[0].State.Name", "--output", "text"]);
    return result.stdout.trim() === "running";
  }, 90_000);
  const read = (path: string) => `imds GET ${path} "X-aws-ec2-metadata-token: $TOKEN" | body; echo; echo ---`;
  const answers = await waitFor("the instance to answer", async () => {
    const result = await kubectl(moor, ["exec", "-n", "aws-ec2", id, "--", "bash", "-c", `${client}\nTOKEN=$(imds PUT /latest/api/token 'X-aws-ec2-metadata-token-ttl-seconds: 60' | body)
${read("/latest/meta-data/iam/")}
${read("/latest/meta-data/iam/security-credentials/")}
${read("/latest/meta-data/iam/info")}
${read("/latest/meta-data/iam/security-credentials/web-role")}
imds GET /latest/meta-data/iam/security-credentials/web-role '' | head -1`]);
    return result.code === 0 ? result.stdout.split("\n---\n") : undefined;
  });
  assert.equal(answers[0], "info\nsecurity-credentials/");
  assert.equal(answers[1], "web-role");
  const info = JSON.parse(answers[2]!);
  assert.equal(info.Code, "Success");
  assert.match(info.InstanceProfileArn, /^arn:aws:iam::\d{12}:instance-profile\/web$/);
  const issued = JSON.parse(answers[3]!);
  assert.equal(issued.Type, "AWS-HMAC");
  assert.match(issued.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.match(issued.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(Date.parse(issued.Expiration) > Date.now() + 30 * 60_000);
  assert.match(answers[4]!, /^HTTP\/1\.[01] 401/, "without a token, an instance that requires one gets no credentials");
  const sts = new STSClient({ endpoint: moor.awsEndpoint, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: issued.AccessKeyId, secretAccessKey: issued.SecretAccessKey, sessionToken: issued.Token, expiration: new Date(issued.Expiration) } });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  assert.match(identity.Arn!, new RegExp(`^arn:aws:sts::\\d{12}:assumed-role/web-role/${id}$`));
  assert.equal(identity.UserId, `${role.RoleId}:${id}`);
  await moor.stop();
  await moor.start();
  assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, identity.Arn, "the session outlives a restart of Moor");
  sts.destroy();
  assert.ok(role.Arn!.endsWith(":role/app/web-role"));
});
