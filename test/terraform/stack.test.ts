// Terraform's AWS provider (5.100, from the machine's plugin mirror) manages one stack holding
// every service's part as the guides write them (IAM, EFS, EC2 networking, ECR, ECS, EKS,
// ELBv2, instances and logs, RDS: one module file each, _<service>.ts, see _part.ts) against one
// Moor through its `endpoints` block. One init, one apply that adds every resource, a plan
// with no changes, one updating apply carrying every part's in-place update, a plan with no
// changes again, and one destroy; each part's checks run after the apply, the update and the
// destroy with the aws CLI or the SDK. Each terraform command starts the 700 MB provider, so
// the stack is applied once rather than once per service. Skipped where the machine has no
// Terraform or no provider in the mirror.

import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { type MoorUnderTest, startMoor } from "../harness.js";
import { applied, awsProvider, terraform, terraformDirectory, terraformMissing } from "../_terraform.js";
import { ec2Part } from "./_ec2.js";
import { ecrPart } from "./_ecr.js";
import { ecsPart } from "./_ecs.js";
import { efsPart } from "./_efs.js";
import { eksPart } from "./_eks.js";
import { elbv2Part } from "./_elbv2.js";
import { iamPart } from "./_iam.js";
import { instancesPart } from "./_instances.js";
import { sharedHcl, type StackContext, type StackPart } from "./_part.js";
import { rdsPart } from "./_rds.js";

/** Every service's part, in the order their checks run. */
const parts: StackPart[] = [iamPart, efsPart, ec2Part, ecrPart, ecsPart, eksPart, elbv2Part, instancesPart, rdsPart];

const skip = terraformMissing;
const context: StackContext = { moor: undefined as unknown as MoorUnderTest, outputs: {} };
let directory = "";
/** The last step that succeeded; a step after a failed one fails saying so instead of misleading. */
let reached = "";

before(async () => {
  if (skip) return;
  context.moor = await startMoor();
  directory = terraformDirectory("moor-terraform-stack-");
});
after(async () => {
  try {
    for (const part of parts) if (context.moor && part.cleanUp) await part.cleanUp(context.moor).catch((error) => console.error(`${part.name} clean-up: ${error}`));
  } finally {
    await context.moor?.dispose();
    if (directory) rmSync(directory, { recursive: true, force: true });
  }
});

function configuration(updated: boolean): string {
  const services = [...new Set(parts.flatMap((part) => part.services))].sort();
  return [awsProvider(context.moor.awsEndpoint, services), sharedHcl, ...parts.map((part) => part.hcl(updated))].join("\n");
}

const tf = (args: string[]) => applied(directory, [...args, "-input=false"]);
const added = parts.reduce((sum, part) => sum + part.added, 0);
const changed = parts.flatMap((part) => part.changed).sort();

function step(name: string, needs: string, body: () => Promise<void>): void {
  it(name, { skip }, async () => {
    assert.equal(reached, needs, `an earlier step failed (the last to succeed: ${reached || "none"})`);
    await body();
    reached = name;
  });
}

/** One test per part running `check`, after the step `needs`; a failed check does not stop the stack's steps. */
function checks(when: string, needs: string, check: (part: StackPart) => ((context: StackContext) => Promise<void>) | undefined): void {
  for (const part of parts) {
    const run = check(part);
    if (!run) continue;
    it(`${part.name} ${when}`, { skip }, async () => {
      assert.equal(reached, needs, `the step "${needs}" did not succeed`);
      await run.call(part, context);
    });
  }
}

async function noChanges(): Promise<void> {
  const plan = await terraform(directory, ["plan", "-detailed-exitcode", "-input=false"]);
  assert.equal(plan.code, 0, `a plan must show no changes:\n${plan.stdout}`);
}

step("init and apply add every part's resources", "", async () => {
  writeFileSync(join(directory, "main.tf"), configuration(false));
  await tf(["init"]);
  assert.match(await tf(["apply", "-auto-approve"]), new RegExp(`Apply complete! Resources: ${added} added, 0 changed, 0 destroyed\\.`));
  const text = await applied(directory, ["output", "-json"]);
  context.outputs = JSON.parse(text.slice(text.indexOf("{")));
});
checks("after the first apply", "init and apply add every part's resources", (part) => part.afterApply);

step("a plan after the apply shows no changes", "init and apply add every part's resources", noChanges);

step("one apply updates every part in place", "a plan after the apply shows no changes", async () => {
  writeFileSync(join(directory, "main.tf"), configuration(true));
  const output = await tf(["apply", "-auto-approve"]);
  assert.match(output, new RegExp(`Apply complete! Resources: 0 added, ${changed.length} changed, 0 destroyed\\.`));
  const modified = [...output.matchAll(/^(\S+): Modifications complete after/gm)].map((match) => match[1]).sort();
  assert.deepEqual(modified, changed);
});
checks("after the update", "one apply updates every part in place", (part) => part.afterUpdate);

step("a plan after the update shows no changes", "one apply updates every part in place", noChanges);

step("destroy removes every resource", "a plan after the update shows no changes", async () => {
  assert.match(await tf(["destroy", "-auto-approve"]), new RegExp(`Destroy complete! Resources: ${added} destroyed\\.`));
});
checks("after destroy", "destroy removes every resource", (part) => part.afterDestroy);
