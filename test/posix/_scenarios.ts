// Every POSIX scenario by name. Each runs in a fresh directory of its own, as the test identity,
// and returns plain data; the suite compares that data between targets.

import { accessScenarios } from "./_scenarios-access.js";
import { errorScenarios } from "./_scenarios-errors.js";
import { fileScenarios } from "./_scenarios-files.js";
import { limitScenarios } from "./_scenarios-limits.js";
import { modeScenarios } from "./_scenarios-modes.js";
import { timeScenarios } from "./_scenarios-times.js";
import type { Scenario } from "./_tools.js";
import { treeScenarios } from "./_scenarios-tree.js";

export const scenarios: Record<string, Scenario> = {
  ...fileScenarios,
  ...treeScenarios,
  ...accessScenarios,
  ...limitScenarios,
  ...errorScenarios,
  ...modeScenarios,
  ...timeScenarios,
};

/** A directory name for a scenario. */
export function scenarioDirectory(name: string): string {
  return name.replace(/[^a-zA-Z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase();
}
