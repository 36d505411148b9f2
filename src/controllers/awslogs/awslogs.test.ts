// The awslogs controller over the in-memory store, the real logs service and log engine (SQLite
// in memory), a fake PodIO and a fake clock: annotated containers' output lands in the named
// group and stream with its timestamps, once, and a missing group is reported on the pod.

import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { afterEach, describe, it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import { type LogEngine, openLogEngine } from "../../engines/logs/mod.js";
import { createLogsService, type LogsService } from "../../services/logs/mod.js";
import { createMemoryStore, type Store } from "../../store/mod.js";
import type { PodIO } from "../../agent/mod.js";
import { type AwsLogsController, awsLogsAnnotation, createAwsLogsController } from "./mod.js";

const call = { region: "eu-west-1", accountId: "123456789012", requestId: "r" };
const lines = ["2026-01-01T00:00:01.000000000Z hello", "2026-01-01T00:00:02.500000000Z world"];
let controllers: AwsLogsController[] = [];

afterEach(async () => {
  for (const controller of controllers) await controller.stop();
  controllers = [];
});

function fakeIO(reads: string[]): PodIO {
  return {
    logs: async (pod, container, options) => {
      reads.push(`${pod.name}/${container}/${options.follow}/${options.timestamps}`);
      return Readable.from(lines.map((line) => `${line}\n`));
    },
    exec: async () => assert.fail("no exec"),
  };
}

function setup(store: Store, engine: LogEngine, reads: string[] = []): { logs: LogsService; controller: AwsLogsController } {
  const clock = new FakeClock(new Date("2026-01-01T00:00:05Z"));
  const logs = createLogsService({ store, events: engine, region: "eu-west-1", accountId: "123456789012", now: () => clock.now().getTime() });
  const controller = createAwsLogsController({ store, clock, logs, podIO: () => fakeIO(reads), progress: engine, accountId: "123456789012", region: "eu-west-1" });
  controllers.push(controller);
  return { logs, controller };
}

function writePod(store: Store, createGroup: boolean): void {
  store.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace: "aws-ecs", annotations: { [awsLogsAnnotation]: JSON.stringify({ app: { group: "/ecs/web", region: "eu-west-1", stream: "ecs/app/1", createGroup } }) } },
    spec: { containers: [{ name: "app", image: "busybox" }, { name: "sidecar", image: "busybox" }] },
    status: { phase: "Running", containerStatuses: [{ name: "app", restartCount: 0, state: { running: {} } }, { name: "sidecar", restartCount: 0, state: { running: {} } }] },
  });
}

async function settle(controller: AwsLogsController): Promise<void> {
  await controller.settled();
  await controller.drained();
}

describe("awslogs controller", () => {
  it("ships an annotated container's lines with their timestamps, creating the group when asked", async () => {
    const store = createMemoryStore();
    const reads: string[] = [];
    const { logs, controller } = setup(store, openLogEngine(":memory:"), reads);
    writePod(store, true);
    await controller.start();
    await settle(controller);
    assert.deepEqual(reads, ["web/app/true/true"]);
    const { events } = logs.operations.GetLogEvents({ logGroupName: "/ecs/web", logStreamName: "ecs/app/1", startFromHead: true }, call);
    assert.deepEqual(events.map((event) => [event.timestamp, event.message]), [[Date.parse("2026-01-01T00:00:01Z"), "hello"], [Date.parse("2026-01-01T00:00:02.5Z"), "world"]]);
  });

  it("ships a run once: a new controller on the same log engine sends nothing again", async () => {
    const store = createMemoryStore();
    const engine = openLogEngine(":memory:");
    writePod(store, true);
    const first = setup(store, engine);
    await first.controller.start();
    await settle(first.controller);
    await first.controller.stop();
    const second = setup(store, engine);
    await second.controller.start();
    await settle(second.controller);
    assert.equal(second.logs.operations.GetLogEvents({ logGroupName: "/ecs/web", logStreamName: "ecs/app/1", startFromHead: true }, call).events.length, 2);
  });

  it("reports a group that does not exist, unasked to create it, as a Warning on the pod in ECS's words", async () => {
    const store = createMemoryStore();
    const { controller } = setup(store, openLogEngine(":memory:"));
    writePod(store, false);
    await controller.start();
    await settle(controller);
    const [event] = store.list("Event", { namespace: "aws-ecs" }).items as any[];
    assert.equal(event?.type, "Warning");
    assert.equal(
      event?.message,
      "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1",
    );
  });
});
