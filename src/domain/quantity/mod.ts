// Kubernetes resource quantities ("500m", "1.5", "64Mi", "1G", "2e3") as plain numbers.

const suffixes: Record<string, number> = {
  "": 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const quantityPattern = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** The quantity's value (bytes for memory, cores for CPU), or undefined when it is malformed. */
export function parseQuantity(text: unknown): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) ? text : undefined;
  if (typeof text !== "string") return undefined;
  const match = quantityPattern.exec(text.trim());
  if (!match) return undefined;
  const [, number, suffix = "", exponent] = match;
  const value = Number(number) * (exponent !== undefined ? 10 ** Number(exponent) : suffixes[suffix]!);
  return Number.isFinite(value) ? value : undefined;
}

export function isQuantity(text: unknown): boolean {
  return parseQuantity(text as string) !== undefined;
}
