// An nftables table as data, and the commands that turn one such table into another in a single
// `nft -f` transaction. Only what changed is touched: a chain whose rules differ is flushed and
// refilled, a set's or map's elements are deleted and added one by one, chains and sets no longer
// wanted are deleted, and a dynamic set (session affinity's, filled by the kernel) keeps its
// contents for as long as it exists. With no previous table the table is replaced whole.

export interface NftChain {
  name: string;
  /** A base chain's hook line (`type nat hook prerouting priority dstnat; policy accept;`). */
  hook?: string;
  rules: string[];
}

export interface NftSet {
  name: string;
  kind: "set" | "map";
  declaration: string;
  /** The elements Moor keeps; undefined for a set the kernel fills (left alone). */
  elements?: string[];
}

export interface NftRuleset {
  table: string;
  sets: NftSet[];
  chains: NftChain[];
}

/** The commands from `previous` (what is loaded; undefined: unknown) to `next`, for `nft -f`. */
export function nftCommands(previous: NftRuleset | undefined, next: NftRuleset): string {
  const table = `ip ${next.table}`;
  const lines = [`add table ${table}`];
  if (!previous) lines.push(`delete table ${table}`, `add table ${table}`);
  const before = previous ?? { table: next.table, sets: [], chains: [] };
  const oldChains = new Map(before.chains.map((chain) => [chain.name, chain]));
  const oldSets = new Map(before.sets.map((set) => [set.name, set]));
  const newChains = new Set(next.chains.map((chain) => chain.name));
  const newSets = new Set(next.sets.map((set) => set.name));
  for (const chain of next.chains) {
    if (!oldChains.has(chain.name)) lines.push(`add chain ${table} ${chain.name}${chain.hook ? ` { ${chain.hook} }` : ""}`);
  }
  for (const set of next.sets) {
    const old = oldSets.get(set.name);
    if (!old) lines.push(`add ${set.kind} ${table} ${set.name} { ${set.declaration} }`);
    if (set.elements === undefined || (old && same(old.elements, set.elements))) continue;
    lines.push(...elementCommands(table, set.name, old?.elements ?? [], set.elements));
  }
  for (const chain of next.chains) {
    const old = oldChains.get(chain.name);
    if (old && same(old.rules, chain.rules)) continue;
    if (old) lines.push(`flush chain ${table} ${chain.name}`);
    for (const rule of chain.rules) lines.push(`add rule ${table} ${chain.name} ${rule}`);
  }
  const gone = before.chains.filter((chain) => !newChains.has(chain.name));
  for (const chain of gone) lines.push(`flush chain ${table} ${chain.name}`);
  for (const chain of gone) lines.push(`delete chain ${table} ${chain.name}`);
  for (const set of before.sets) if (!newSets.has(set.name)) lines.push(`delete ${set.kind} ${table} ${set.name}`);
  return `${lines.join("\n")}\n`;
}

/** Element by element: entries whose key went or whose value changed are deleted (by key), new ones added. */
function elementCommands(table: string, name: string, before: readonly string[], after: readonly string[]): string[] {
  const key = (entry: string) => entry.split(" : ")[0]!;
  const wanted = new Set(after);
  const kept = new Set(before.filter((entry) => wanted.has(entry)));
  const gone = before.filter((entry) => !kept.has(entry)).map(key);
  const added = after.filter((entry) => !kept.has(entry));
  const lines: string[] = [];
  if (gone.length > 0) lines.push(`delete element ${table} ${name} { ${gone.join(", ")} }`);
  if (added.length > 0) lines.push(`add element ${table} ${name} { ${added.join(", ")} }`);
  return lines;
}

/** True when nothing would change. */
export function sameRuleset(a: NftRuleset | undefined, b: NftRuleset): boolean {
  return a !== undefined && nftCommands(a, b) === `add table ip ${b.table}\n`;
}

function same(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((item, index) => item === b[index]);
}
