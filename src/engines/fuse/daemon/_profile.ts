// Handler time by opcode (the synchronous part, in ns), kept only when the daemon runs with
// MOOR_FUSE_PROFILE=1: what bench/fuse-roundtrip reads to say where a request's time goes.

export const profiling = process.env.MOOR_FUSE_PROFILE === "1";

/** Runs `serve` and adds its synchronous time to `nanos` under `opcode`. */
export function timed<T>(nanos: Map<number, number>, opcode: number, serve: () => T): T {
  const start = process.hrtime.bigint();
  const settled = serve();
  nanos.set(opcode, (nanos.get(opcode) ?? 0) + Number(process.hrtime.bigint() - start));
  return settled;
}
