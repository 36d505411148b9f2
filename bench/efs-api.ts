// bench/efs-api: the EFS API under the real SDK, against a built Moor (`moor up` in a temp data
// directory).
//   node dist/bench/efs-api.js [--file-systems 200] [--describes 1000] [--access-points 10000]
// Measures, one request at a time (latency, not throughput): CreateFileSystem; DescribeFileSystems
// by id; CreateAccessPoint on one file system until it holds `--access-points`; then with that
// many: DescribeAccessPoints by id, one page of a file system's access points, and paging through
// all of them (page sizes 100 and 1,000); and how long SizeInBytes takes to follow 64 MiB written
// into a file system's directory.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  CreateAccessPointCommand,
  CreateFileSystemCommand,
  DescribeAccessPointsCommand,
  DescribeFileSystemsCommand,
  EFSClient,
  paginateDescribeAccessPoints,
} from "@aws-sdk/client-efs";
import { startMoor } from "../test/harness.js";

const { values } = parseArgs({
  options: {
    "file-systems": { type: "string", default: "200" },
    describes: { type: "string", default: "1000" },
    "access-points": { type: "string", default: "10000" },
  },
});
const fileSystemCount = Number(values["file-systems"]);
const describeCount = Number(values.describes);
const accessPointCount = Number(values["access-points"]);
const pagingRuns = 5;
const writtenBytes = 64 * 1024 * 1024;

const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const ms = (value: number) => (value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(2)} ms`);
const rows: string[] = [];
function report(what: string, samples: number[]): void {
  const row = `| ${what} | ${samples.length} | ${ms(percentile(samples, 50))} | ${ms(percentile(samples, 99))} |`;
  rows.push(row);
  console.error(row);
}

async function timed<T>(samples: number[], call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await call();
  samples.push(performance.now() - started);
  return result;
}

const moor = await startMoor();
const client = new EFSClient({ endpoint: moor.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" }, maxAttempts: 1 });

async function waitAvailable(fileSystemId: string): Promise<void> {
  for (;;) {
    const { FileSystems } = await client.send(new DescribeFileSystemsCommand({ FileSystemId: fileSystemId }));
    if (FileSystems?.[0]?.LifeCycleState === "available") return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

try {
  // Warm up the connection and the JIT.
  for (let index = 0; index < 20; index++) await client.send(new DescribeFileSystemsCommand({}));

  const creates: number[] = [];
  const ids: string[] = [];
  for (let index = 0; index < fileSystemCount; index++) {
    ids.push((await timed(creates, () => client.send(new CreateFileSystemCommand({ CreationToken: `bench-${index}` })))).FileSystemId!);
  }
  report("CreateFileSystem", creates);

  const describes: number[] = [];
  for (let index = 0; index < describeCount; index++) {
    await timed(describes, () => client.send(new DescribeFileSystemsCommand({ FileSystemId: ids[index % ids.length] })));
  }
  report(`DescribeFileSystems by id (${fileSystemCount} file systems)`, describes);

  const listAll: number[] = [];
  for (let index = 0; index < 50; index++) await timed(listAll, () => client.send(new DescribeFileSystemsCommand({})));
  report(`DescribeFileSystems, first page of ${Math.min(100, fileSystemCount)}`, listAll);

  const fileSystemId = ids[0]!;
  await waitAvailable(fileSystemId);
  const apCreates: number[] = [];
  const apIds: string[] = [];
  const startedAll = performance.now();
  for (let index = 0; index < accessPointCount; index++) {
    const created = await timed(apCreates, () =>
      client.send(
        new CreateAccessPointCommand({
          FileSystemId: fileSystemId,
          ClientToken: `bench-ap-${index}`,
          PosixUser: { Uid: 50_000 + index, Gid: 50_000 + index },
          RootDirectory: { Path: `/volumes/pv-${index}`, CreationInfo: { OwnerUid: 50_000 + index, OwnerGid: 50_000 + index, Permissions: "700" } },
        }),
      ),
    );
    apIds.push(created.AccessPointId!);
  }
  report(`CreateAccessPoint, up to ${accessPointCount} on one file system`, apCreates);
  console.error(`  (${accessPointCount} access points created in ${((performance.now() - startedAll) / 1000).toFixed(1)} s)`);

  const byId: number[] = [];
  for (let index = 0; index < describeCount; index++) {
    await timed(byId, () => client.send(new DescribeAccessPointsCommand({ AccessPointId: apIds[(index * 7919) % apIds.length] })));
  }
  report(`DescribeAccessPoints by id (${accessPointCount} on the file system)`, byId);

  const onePage: number[] = [];
  for (let index = 0; index < 200; index++) await timed(onePage, () => client.send(new DescribeAccessPointsCommand({ FileSystemId: fileSystemId })));
  report(`DescribeAccessPoints by file system, one page of 100 (of ${accessPointCount})`, onePage);

  for (const pageSize of [100, 1000]) {
    const whole: number[] = [];
    for (let run = 0; run < pagingRuns; run++) {
      let seen = 0;
      await timed(whole, async () => {
        for await (const page of paginateDescribeAccessPoints({ client, pageSize }, { FileSystemId: fileSystemId })) seen += page.AccessPoints?.length ?? 0;
      });
      if (seen !== accessPointCount) throw new Error(`Paging saw ${seen} access points, not ${accessPointCount}`);
    }
    report(`DescribeAccessPoints paging through all ${accessPointCount}, pages of ${pageSize}`, whole);
  }

  const follow: number[] = [];
  for (let run = 0; run < 3; run++) {
    const id = ids[1 + run]!;
    await waitAvailable(id);
    const { FileSystems } = await client.send(new DescribeFileSystemsCommand({ FileSystemId: id }));
    const before = FileSystems![0]!.SizeInBytes!.Value!;
    await timed(follow, async () => {
      writeFileSync(join(moor.home, "filesystems", id, `payload-${run}`), Buffer.alloc(writtenBytes, 1));
      for (;;) {
        const { FileSystems: now } = await client.send(new DescribeFileSystemsCommand({ FileSystemId: id }));
        if (now![0]!.SizeInBytes!.Value! >= before + writtenBytes) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
  }
  report("SizeInBytes follows 64 MiB written into the directory (write included)", follow);

  console.log(["| what | n | p50 | p99 |", "|---|---|---|---|", ...rows].join("\n"));
} finally {
  client.destroy();
  await moor.dispose().catch((error) => console.error(`bench: cleaning up failed: ${error instanceof Error ? error.message : error}`));
}
