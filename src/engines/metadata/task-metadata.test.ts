// The task metadata endpoint's answers, without a network: container and task metadata by the
// id in the URI, only for the task at the asking address; credentials only for that task's id,
// asked of Moor once and then kept until a quarter-hour before they expire.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TaskMetadata } from "../../domain/ecs/mod.js";
import { type TaskCredentials, TaskMetadataService } from "./mod.js";

const task: TaskMetadata = {
  address: "10.42.0.9",
  task: { Cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/demo", KnownStatus: "RUNNING", LaunchType: "FARGATE" },
  containers: { "abc-0000000001": { DockerId: "abc-0000000001", Name: "app" } },
  credentials: { id: "cred-1", roleArn: "arn:aws:iam::123456789012:role/task", sessionName: "abc" },
};

const credentials = (expiration: string): TaskCredentials => ({ AccessKeyId: "ASIAEXAMPLE", SecretAccessKey: "s", Token: "t", Expiration: expiration, RoleArn: task.credentials!.roleArn });

function service(): TaskMetadataService {
  const metadata = new TaskMetadataService();
  metadata.publish([task]);
  return metadata;
}

const body = (outcome: ReturnType<TaskMetadataService["answer"]>) => ("answer" in outcome ? outcome.answer : assert.fail("expected an answer"));

describe("TaskMetadataService", () => {
  it("answers the container at ${URI}, the task at ${URI}/task, in v4 and v3, to the task's own address only", () => {
    const metadata = service();
    assert.equal(JSON.parse(body(metadata.answer("GET", "/v4/abc-0000000001", "10.42.0.9", 0)).body).Name, "app");
    assert.equal(JSON.parse(body(metadata.answer("GET", "/v4/abc-0000000001/task", "10.42.0.9", 0)).body).LaunchType, "FARGATE");
    assert.equal(JSON.parse(body(metadata.answer("GET", "/v3/abc-0000000001/task", "10.42.0.9", 0)).body).KnownStatus, "RUNNING");
    assert.equal(body(metadata.answer("GET", "/v4/abc-0000000001/task", "10.42.0.10", 0)).status, 404);
    assert.equal(body(metadata.answer("GET", "/v4/other-0000000001/task", "10.42.0.9", 0)).status, 404);
    assert.equal(body(metadata.answer("GET", "/v4/abc-0000000001/stats", "10.42.0.9", 0)).status, 404);
    assert.equal(body(metadata.answer("POST", "/v4/abc-0000000001", "10.42.0.9", 0)).status, 405);
  });

  it("asks for the role's credentials for the task's own id only, then keeps them until near their expiry", () => {
    const metadata = service();
    assert.equal(body(metadata.answer("GET", "/v2/credentials/cred-2", "10.42.0.9", 0)).status, 404);
    assert.equal(body(metadata.answer("GET", "/v2/credentials/cred-1", "10.42.0.10", 0)).status, 404);
    const first = metadata.answer("GET", "/v2/credentials/cred-1", "10.42.0.9", 0);
    assert.ok("issue" in first);
    assert.deepEqual(first.issue, { roleArn: task.credentials!.roleArn, sessionName: "abc" });
    const answer = metadata.credentialsAnswer(first.id, credentials("1970-01-01T01:00:00Z"));
    assert.deepEqual(Object.keys(JSON.parse(answer.body)).sort(), ["AccessKeyId", "Expiration", "RoleArn", "SecretAccessKey", "Token"]);
    assert.equal(JSON.parse(body(metadata.answer("GET", "/v2/credentials/cred-1", "10.42.0.9", 60_000)).body).AccessKeyId, "ASIAEXAMPLE");
    assert.ok("issue" in metadata.answer("GET", "/v2/credentials/cred-1", "10.42.0.9", 46 * 60_000));
    assert.equal(metadata.credentialsAnswer("cred-1", { error: "no STS" }).status, 500);
  });
});
