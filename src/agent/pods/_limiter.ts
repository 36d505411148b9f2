// Bounds how many pods start at once. Starting a sandbox is mostly process spawning (CNI
// plugins, mount, runc): on a small machine fifty at once all finish late together, while a
// few at a time lets the first ones run early and the burst end no later.

export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly slotsMax: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.slotsMax) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
