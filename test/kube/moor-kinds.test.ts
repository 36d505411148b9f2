// Moor's own kinds through kubectl: what `aws efs` creates (FileSystem, AccessPoint and
// MountTarget under efs.moor.dev/v1, with their own table columns, read-only for create), and
// Fargate profiles (eks.moor.dev/v1), which kubectl applies through the same rules as `moor profile`.

import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { aws, type MoorUnderTest } from "../harness.js";
import { kubectl, kubectlOk, waitFor } from "../kubectl.js";
import { startKubeMoor } from "./_kube.js";

let moor: MoorUnderTest;
before(async () => {
  moor = await startKubeMoor();
});
after(async () => {
  await moor?.dispose();
});

async function awsText(args: string[]): Promise<string> {
  const result = await aws(moor, [...args, "--output", "text"]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

it("kubectl get filesystems,accesspoints,mounttargets shows what aws efs created", async () => {
  const fileSystem = await awsText(["efs", "create-file-system", "--tags", "Key=Name,Value=shared", "--query", "FileSystemId"]);
  const accessPoint = await awsText([
    "efs", "create-access-point", "--file-system-id", fileSystem, "--posix-user", "Uid=1000,Gid=1000",
    "--root-directory", "Path=/data,CreationInfo={OwnerUid=1000,OwnerGid=1000,Permissions=755}", "--query", "AccessPointId",
  ]);
  const mountTarget = await awsText(["efs", "create-mount-target", "--file-system-id", fileSystem, "--subnet-id", "subnet-042a0000000000001", "--query", "MountTargetId"]);
  const table = await waitFor("the file system available", async () => {
    const text = await kubectlOk(moor, ["get", "filesystems,accesspoints,mounttargets"]);
    return /available/.test(text.split("\n")[1] ?? "") ? text : undefined;
  });
  assert.match(table, new RegExp(`filesystem\\.efs\\.moor\\.dev/${fileSystem} +shared +available +\\S+ +1 `));
  assert.match(table, new RegExp(`accesspoint\\.efs\\.moor\\.dev/${accessPoint} +${fileSystem} +/data +1000:1000 +available`));
  assert.match(table, new RegExp(`mounttarget\\.efs\\.moor\\.dev/${mountTarget} +${fileSystem} +us-east-1a +10\\.42\\.\\d+\\.\\d+ +available`));
  assert.match(await kubectlOk(moor, ["get", "fs", fileSystem, "-o", "jsonpath={.spec.performanceMode}"]), /generalPurpose/);
  const refused = await kubectl(moor, ["create", "-f", "-"], JSON.stringify({ apiVersion: "efs.moor.dev/v1", kind: "FileSystem", metadata: { name: "fs-made-by-hand" } }));
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /MethodNotAllowed|does not allow this method/);
});

it("kubectl apply of a FargateProfile goes through the profile rules: defaults, immutability, deletion", async () => {
  const profile = (namespace: string) => `
apiVersion: eks.moor.dev/v1
kind: FargateProfile
metadata: {name: team_web}
spec:
  selectors: [{namespace: ${namespace}, labels: {tier: web}}]
`;
  assert.match(await kubectlOk(moor, ["apply", "-f", "-"], profile("team")), /fargateprofile\.eks\.moor\.dev\/team_web created/);
  assert.match(await kubectlOk(moor, ["apply", "-f", "-"], profile("team")), /unchanged/);
  assert.match(await kubectlOk(moor, ["get", "fargateprofiles"]), /team_web +ACTIVE +team:tier=web/);
  const changed = await kubectl(moor, ["apply", "-f", "-"], profile("other"));
  assert.equal(changed.code, 1);
  assert.match(changed.stderr, /a Fargate profile cannot be changed/);
  const empty = await kubectl(moor, ["create", "-f", "-"], JSON.stringify({ apiVersion: "eks.moor.dev/v1", kind: "FargateProfile", metadata: { name: "empty" }, spec: { selectors: [] } }));
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /at least one selector is required/);
  assert.match(await kubectlOk(moor, ["delete", "fargateprofile", "team_web"]), /deleted/);
  assert.match((await kubectl(moor, ["get", "fargateprofile", "team_web"])).stderr, /not found/);
});
