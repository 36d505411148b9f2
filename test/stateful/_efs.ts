// EFS set-up steps the stateful scenarios share, done with the real aws CLI.

import { embeddedVpc } from "../../src/domain/network/mod.js";
import { aws, type MoorUnderTest } from "../harness.js";
import { waitFor } from "../kubectl.js";

export async function awsJson(moor: MoorUnderTest, args: string[]): Promise<any> {
  const result = await aws(moor, [...args, "--output", "json"]);
  if (result.code !== 0) throw new Error(`aws ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout.trim() ? JSON.parse(result.stdout) : {};
}

export async function createFileSystem(moor: MoorUnderTest, token: string): Promise<string> {
  const created = await awsJson(moor, ["efs", "create-file-system", "--creation-token", token, "--encrypted"]);
  const id = created.FileSystemId as string;
  await waitFor(`file system ${id} available`, async () => {
    const described = await awsJson(moor, ["efs", "describe-file-systems", "--file-system-id", id]);
    return described.FileSystems[0].LifeCycleState === "available";
  });
  return id;
}

export async function createMountTargets(moor: MoorUnderTest, fileSystemId: string, zones?: string[]): Promise<void> {
  for (const subnet of embeddedVpc("us-east-1").subnets) {
    if (zones && !zones.includes(subnet.availabilityZone)) continue;
    await awsJson(moor, ["efs", "create-mount-target", "--file-system-id", fileSystemId, "--subnet-id", subnet.subnetId]);
  }
  await waitFor(`mount targets of ${fileSystemId} available`, async () => {
    const described = await awsJson(moor, ["efs", "describe-mount-targets", "--file-system-id", fileSystemId]);
    return described.MountTargets.every((target: any) => target.LifeCycleState === "available");
  });
}

export async function createAccessPoint(moor: MoorUnderTest, fileSystemId: string, args: string[]): Promise<string> {
  const created = await awsJson(moor, ["efs", "create-access-point", "--file-system-id", fileSystemId, ...args]);
  return created.AccessPointId as string;
}
