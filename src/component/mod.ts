// A long-lived part of a Moor process (a front end, a controller, the node agent). Components
// are constructed with explicit dependencies and started and stopped in order by the entry.

export interface Component {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
