// Stop, start and terminate: each records what the user wants and moves the state at once to
// the transition EC2 shows (stopping, pending, shutting-down); the instance controller finishes
// the transition when the instance's pod is gone or running. Answered as InstanceStateChange.

import type { Ec2Context } from "./_context.js";
import { type InstanceObject, type InstanceStateName, instanceKind, requireInstances, stateOf } from "./_instances.js";
import { ec2Error } from "./_context.js";

type Wanted = InstanceObject["spec"]["desiredState"];

/** The state an instance moves to when `wanted` is asked in `state`, or an error, or unchanged. */
function nextState(instance: InstanceObject, wanted: Wanted): InstanceStateName {
  const id = instance.metadata.name;
  const state = instance.status.state;
  if (wanted === "terminated") return state === "terminated" ? "terminated" : "shutting-down";
  if (state === "terminated" || state === "shutting-down") {
    throw ec2Error("Conflict", "IncorrectInstanceState", `The instance '${id}' is not in a state from which it can be ${wanted === "running" ? "started" : "stopped"}.`);
  }
  if (wanted === "stopped") return state === "stopped" ? "stopped" : "stopping";
  if (state === "stopping") throw ec2Error("Conflict", "IncorrectInstanceState", `The instance '${id}' is not in a state from which it can be started.`);
  return state === "stopped" ? "pending" : state;
}

export function changeStates(context: Ec2Context, instanceIds: readonly string[], wanted: Wanted) {
  return context.store.transaction(() =>
    requireInstances(context, instanceIds).map((instance) => {
      const previous = instance.status.state;
      const current = nextState(instance, wanted);
      if (current !== previous || instance.spec.desiredState !== wanted) {
        const reason = wanted === "running" ? "" : `User initiated (${context.now().toISOString().replace(/\.\d{3}Z$/, " GMT").replace("T", " ")})`;
        context.store.update({ ...instance, kind: instanceKind, spec: { ...instance.spec, desiredState: wanted }, status: { ...instance.status, state: current, stateTransitionReason: reason } });
      }
      return { InstanceId: instance.metadata.name, CurrentState: stateOf(current), PreviousState: stateOf(previous) };
    }),
  );
}
