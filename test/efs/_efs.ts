// Helpers for the EFS end-to-end tests: an SDK client for a running Moor, waiting for states,
// and reading errors as the SDK and the aws CLI report them.

import assert from "node:assert/strict";
import { DescribeFileSystemsCommand, EFSClient } from "@aws-sdk/client-efs";
import { after, before } from "node:test";
import { type MoorUnderTest, startMoor } from "../harness.js";

/** Starts a Moor and an SDK client for a test file, hands both over, and ends both after it. */
export function withMoorAndClient(receive: (moor: MoorUnderTest, client: EFSClient) => void): void {
  let moor: MoorUnderTest | undefined;
  let client: EFSClient | undefined;
  before(async () => {
    moor = await startMoor();
    client = efsClient(moor);
    receive(moor, client);
  });
  after(async () => {
    client?.destroy();
    await moor?.dispose();
  });
}

export function efsClient(moor: MoorUnderTest): EFSClient {
  return new EFSClient({
    endpoint: moor.awsEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

/** Polls `probe` until it returns something other than undefined (state changes take milliseconds). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function waitAvailable(client: EFSClient, fileSystemId: string): Promise<void> {
  await eventually(async () => {
    const { FileSystems } = await client.send(new DescribeFileSystemsCommand({ FileSystemId: fileSystemId }));
    return FileSystems?.[0]?.LifeCycleState === "available" ? true : undefined;
  }, `file system ${fileSystemId} to be available`);
}

export interface SdkError {
  name: string;
  message: string;
  status: number | undefined;
  error: any;
}

/** Runs `call`, which must fail; returns the error as the SDK reports it. */
export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error: any) {
    return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode, error };
  }
  assert.fail("the call succeeded but should have failed");
}

/** Asserts the SDK error's code, HTTP status and (a part of) its message. */
export async function expectSdkError(call: Promise<unknown>, code: string, status: number, message?: RegExp): Promise<SdkError> {
  const error = await sdkError(call);
  assert.equal(error.name, code, `expected ${code}, got ${error.name}: ${error.message}`);
  assert.equal(error.status, status);
  if (message) assert.match(error.message, message);
  return error;
}

/** Asserts the aws CLI failed with `code` as it prints it: "An error occurred (Code) when calling the Op operation: message". */
export function expectCliError(result: { code: number; stderr: string }, code: string, operation: string, message?: RegExp): void {
  assert.notEqual(result.code, 0, "the aws CLI should have failed");
  assert.match(result.stderr, new RegExp(`An error occurred \\(${code}\\) when calling the ${operation} operation: `), result.stderr);
  if (message) assert.match(result.stderr, message);
}
