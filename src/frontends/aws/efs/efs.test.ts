// The EFS service over the in-memory store with no controller running, so objects stay in the
// state the API left them: the lifecycle-state errors, the account quota and internal failures
// can be seen deterministically, through the real SDK.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  CreateMountTargetCommand,
  DeleteFileSystemCommand,
  DescribeFileSystemsCommand,
  EFSClient,
  PutFileSystemPolicyCommand,
  UpdateFileSystemCommand,
} from "@aws-sdk/client-efs";
import { efsApiVersion, fileSystemKind, fileSystemsPerAccountMax } from "../../../domain/efs/mod.js";
import { createMemoryStore, type Store } from "../../../store/mod.js";
import { AwsServer } from "../mod.js";
import { createEfsService, type EfsService } from "../../../services/efs/mod.js";
import { createEfsApi } from "./mod.js";

let store: Store;
let efs: EfsService;
let server: AwsServer;
let client: EFSClient;
let failNext = false;

before(async () => {
  const memory = createMemoryStore();
  // A store that can be told to fail the way a bug would (not with a MoorError).
  store = new Proxy(memory, {
    get(target, property, receiver) {
      if (property === "get" && failNext) {
        failNext = false;
        return () => {
          throw new RangeError("simulated bug");
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  efs = createEfsService({ store, region: "us-east-1", accountId: "123456789012" });
  await efs.start();
  server = new AwsServer({ host: "127.0.0.1", port: 0, services: [createEfsApi(efs)] });
  await server.start();
  client = new EFSClient({ endpoint: `http://127.0.0.1:${server.port}`, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
});
after(async () => {
  client.destroy();
  await server.stop();
  await efs.stop();
});

async function failure(call: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await call;
  } catch (error: any) {
    return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
  }
  return assert.fail("expected a failure");
}

describe("the EFS service", () => {
  it("refuses mount targets, access points and updates while a file system is creating", async () => {
    const { FileSystemId, LifeCycleState } = await client.send(new CreateFileSystemCommand({ CreationToken: "creating" }));
    assert.equal(LifeCycleState, "creating");
    for (const call of [
      client.send(new CreateMountTargetCommand({ FileSystemId, SubnetId: "subnet-042a0000000000001" })),
      client.send(new CreateAccessPointCommand({ FileSystemId })),
      client.send(new UpdateFileSystemCommand({ FileSystemId, ThroughputMode: "elastic" })),
    ]) {
      const error = await failure(call);
      assert.deepEqual([error.name, error.status], ["IncorrectFileSystemLifeCycleState", 409]);
      assert.match(error.message, /is "creating"; it must be "available"/);
    }
  });

  it("keeps a deleting file system's token and refuses changes to it", async () => {
    const { FileSystemId } = await client.send(new CreateFileSystemCommand({ CreationToken: "going" }));
    await client.send(new DeleteFileSystemCommand({ FileSystemId }));
    assert.equal((await client.send(new DescribeFileSystemsCommand({ FileSystemId }))).FileSystems?.[0]?.LifeCycleState, "deleting");
    assert.equal((await client.send(new DeleteFileSystemCommand({ FileSystemId }))).$metadata.httpStatusCode, 204);
    const policy = await failure(client.send(new PutFileSystemPolicyCommand({ FileSystemId, Policy: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*"}]}' })));
    assert.equal(policy.name, "IncorrectFileSystemLifeCycleState");
    assert.equal((await failure(client.send(new CreateFileSystemCommand({ CreationToken: "going" })))).name, "FileSystemAlreadyExists");
  });

  it("answers 403 FileSystemLimitExceeded past the account's 1,000 file systems", async () => {
    const existing = store.list(fileSystemKind).items.length;
    store.transaction(() => {
      for (let index = existing; index < fileSystemsPerAccountMax; index++) {
        const name = `fs-1${index.toString(16).padStart(16, "0")}`;
        store.create({ apiVersion: efsApiVersion, kind: fileSystemKind, metadata: { name }, spec: { creationToken: `seed-${index}`, tags: [] }, status: { lifeCycleState: "available" } });
      }
    });
    const error = await failure(client.send(new CreateFileSystemCommand({ CreationToken: "one-too-many" })));
    assert.deepEqual([error.name, error.status], ["FileSystemLimitExceeded", 403]);
  });

  it("turns a failure of Moor itself into 500 InternalServerError in EFS's shape", async () => {
    failNext = true;
    const response = await fetch(`http://127.0.0.1:${server.port}/2015-02-01/file-systems?FileSystemId=fs-0123456789abcdef0`);
    assert.equal(response.status, 500);
    assert.equal(response.headers.get("x-amzn-errortype"), "InternalServerError");
    const body = await response.json();
    assert.equal(body.ErrorCode, "InternalServerError");
    assert.doesNotMatch(body.Message, /simulated bug/, "internals stay in the log");
  });
});
