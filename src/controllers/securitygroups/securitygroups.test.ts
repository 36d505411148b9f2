import assert from "node:assert/strict";
import { it } from "node:test";
import { FakeClock } from "../../clock/mod.js";
import { embeddedVpc } from "../../domain/network/mod.js";
import { initialSecurityGroups } from "../../domain/securitygroups/mod.js";
import { createMemoryStore } from "../../store/mod.js";
import { createSecurityGroupController, namespaceWaitMs } from "./mod.js";

const vpc = embeddedVpc("us-east-1");

function setUp(namespaceExists: () => boolean) {
  const clock = new FakeClock();
  const store = createMemoryStore({ now: () => clock.now() });
  for (const group of initialSecurityGroups(vpc, "123456789012", "moor")) store.create(group);
  const loaded: string[] = [];
  const firewall = {
    apply: async (ruleset: string) => {
      if (!namespaceExists()) return false;
      loaded.push(ruleset);
      return true;
    },
  };
  const controller = createSecurityGroupController({ store, vpc, firewall, clock });
  return { clock, store, loaded, controller };
}

it("the security-group controller loads a ruleset with a chain for a pod once the pod has an address, and again when a rule changes", async () => {
  const { store, loaded, controller } = setUp(() => true);
  await controller.start();
  await controller.settled();
  assert.equal(loaded.length, 1);
  const pod = store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "default" }, status: { phase: "Running", podIP: "10.42.0.9" } });
  await controller.settled();
  const chain = `in_eni_${pod.metadata.uid!.replace(/-/g, "").slice(-17)}`;
  assert.match(loaded.at(-1)!, new RegExp(`ip daddr 10\\.42\\.0\\.9 jump ${chain}`));
  const group = store.get({ kind: "SecurityGroup", name: "sg-042a0000000000002" })!;
  store.update({ ...group, spec: { ...group.spec, ingress: [] } });
  await controller.settled();
  assert.doesNotMatch(loaded.at(-1)!.slice(loaded.at(-1)!.indexOf(`chain ${chain}`)), /accept/);
  await controller.stop();
});

it("the security-group controller waits for the VPC namespace and loads the ruleset once it exists", async () => {
  let exists = false;
  const { clock, loaded, controller } = setUp(() => exists);
  await controller.start();
  await controller.settled();
  assert.equal(loaded.length, 0);
  exists = true;
  clock.advance(namespaceWaitMs);
  await controller.settled();
  assert.equal(loaded.length, 1);
  await controller.stop();
});
