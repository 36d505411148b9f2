// Which top-level folders of src/ may import which: the direction of DESIGN.md's diagram
// (front ends → services → store → controllers → node agent and engines), with the shared
// leaves (domain rules, errors, config, components, events) below them all. A folder imports
// its own files freely; any other import must be listed here. Change the design here first.

/** The shared leaves everything above them may use. */
const base = ["domain", "errors", "config", "component", "clock"] as const;

export const layers: Readonly<Record<string, readonly string[]>> = {
  // Wiring: the only folder that sees every other one, and that no other folder imports.
  cmd: ["frontends", "services", "controllers", "agent", "engines", "store", "events", ...base],
  // Wire protocols: translate requests into service calls; no controllers or engines. The
  // agent's head file only for its PodIO port, which kubectl logs and exec stream through.
  frontends: ["services", "store", "agent", "events", ...base],
  // One module per AWS service: the rules, the store writes, the errors.
  services: ["store", "events", ...base],
  // Level-triggered reconcilers over the store, driving the agent and the engines; a controller
  // that acts as an AWS client (the CSI provisioner creating access points) calls the service.
  controllers: ["services", "store", "agent", "engines", "events", ...base],
  // The node agent reaches the control plane only through its async port (DESIGN decision 8).
  agent: ["engines", "events", ...base],
  // File systems, mounts, FUSE: the data plane, told everything it needs by its callers.
  engines: [...base],
  events: ["store", "domain", "errors", "component"],
  store: ["domain", "errors"],
  component: ["errors"],
  config: ["domain", "errors"],
  // Rules with no I/O.
  domain: ["errors"],
  errors: [],
  // Time as a port: the system clock and a fake one for tests.
  clock: [],
};

/** Packages domain code may import besides its own folders: pure libraries only. */
export const domainPackages: readonly string[] = [];

/** Folders of process entries (`moor.ts`): wiring that nothing imports, so no head file. */
export const entryFolders: readonly string[] = ["src/cmd"];
