// The access-point quota: 10,000 per file system, then 403 AccessPointLimitExceeded, and
// DescribeAccessPoints paging through all 10,000. The first 9,999 are written straight into the
// store while Moor is down (creating them one by one through the API is what bench/ measures).

import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CreateAccessPointCommand, CreateFileSystemCommand, type EFSClient, paginateDescribeAccessPoints } from "@aws-sdk/client-efs";
import {
  type AccessPointObject,
  accessPointArn,
  accessPointKind,
  accessPointsPerFileSystemMax,
  efsApiVersion,
  fileSystemLabel,
  newAccessPointId,
} from "../../src/domain/efs/mod.js";
import { openSqliteStore } from "../../src/store/mod.js";
import type { MoorUnderTest } from "../harness.js";
import { withMoorAndClient, expectSdkError, waitAvailable } from "./_efs.js";

let moor: MoorUnderTest;
let client: EFSClient;

withMoorAndClient((started, sdk) => {
  moor = started;
  client = sdk;
});

function seed(fileSystemId: string, count: number): void {
  const store = openSqliteStore(join(moor.home, "state.db"));
  try {
    store.transaction(() => {
      for (let index = 0; index < count; index++) {
        const id = newAccessPointId(index.toString(16).padStart(16, "0"));
        const object: AccessPointObject = {
          apiVersion: efsApiVersion,
          kind: accessPointKind,
          metadata: { name: id, labels: { [fileSystemLabel]: fileSystemId } },
          spec: { clientToken: `seed-${index}`, fileSystemId, posixUser: { uid: 1000 + index, gid: 1000 + index, secondaryGids: [] }, rootDirectory: { path: `/seed/${index}` }, tags: [] },
          status: { lifeCycleState: "available", ownerId: "000000000000", accessPointArn: accessPointArn("us-east-1", "000000000000", id) },
        };
        store.create(object);
      }
    });
  } finally {
    store.close();
  }
}

describe("the access-point quota", () => {
  it("allows 10,000 access points per file system, then answers 403 AccessPointLimitExceeded", async () => {
    const { FileSystemId } = await client.send(new CreateFileSystemCommand({ CreationToken: "quota" }));
    const fs = FileSystemId!;
    await waitAvailable(client, fs);
    await moor.stop();
    seed(fs, accessPointsPerFileSystemMax - 1);
    await moor.start();

    await client.send(new CreateAccessPointCommand({ FileSystemId: fs, ClientToken: "the-last-one" }));
    await expectSdkError(client.send(new CreateAccessPointCommand({ FileSystemId: fs })), "AccessPointLimitExceeded", 403, /10000 access points/);

    const other = (await client.send(new CreateFileSystemCommand({ CreationToken: "quota-other" }))).FileSystemId!;
    await waitAvailable(client, other);
    await client.send(new CreateAccessPointCommand({ FileSystemId: other }));

    const seen = new Set<string>();
    let pages = 0;
    for await (const page of paginateDescribeAccessPoints({ client, pageSize: 1000 }, { FileSystemId: fs })) {
      pages++;
      for (const point of page.AccessPoints ?? []) {
        assert.equal(point.FileSystemId, fs);
        seen.add(point.AccessPointId!);
      }
    }
    assert.equal(seen.size, accessPointsPerFileSystemMax);
    assert.equal(pages, 10);
  });
});
