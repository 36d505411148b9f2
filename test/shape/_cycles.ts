// Cycles between folders: folder A has a file importing folder B, whose files import back
// into A (directly or through other folders). Each group of folders that reach one another is
// one violation, shown as a closed path through all of them with a file making each step.
import type { FolderEdge, Violation } from "./_rules.js";

export function folderCycles(edges: readonly FolderEdge[]): Violation[] {
  const graph = new Map<string, Map<string, string>>();
  for (const { from, to, file } of edges) {
    const out = graph.get(from) ?? new Map<string, string>();
    if (!out.has(to) || file < out.get(to)!) out.set(to, file);
    graph.set(from, out);
  }
  return stronglyConnected(graph)
    .filter((group) => group.length > 1)
    .map((group) => {
      const members = [...group].sort();
      return {
        rule: "cycle" as const,
        file: members[0]!,
        subject: members.join(", "),
        message: `folders import each other: ${closedPath(graph, members)}`,
      };
    });
}

/** Tarjan's algorithm: the groups of nodes that all reach one another. */
function stronglyConnected(graph: ReadonlyMap<string, ReadonlyMap<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      onStack.delete(member);
      group.push(member);
      if (member === node) break;
    }
    groups.push(group);
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return groups;
}

/** `a → b (a/x.ts) → a (b/y.ts)`: from the first member through every other one and back. */
function closedPath(graph: ReadonlyMap<string, ReadonlyMap<string, string>>, members: string[]): string {
  const inside = new Set(members);
  const steps: string[] = [members[0]!];
  const passed = new Set<string>();
  let at = members[0]!;
  for (const goal of [...members.slice(1), members[0]!]) {
    if (goal !== members[0] && passed.has(goal)) continue;
    for (const next of shortestPath(graph, inside, at, goal)) {
      steps.push(`${next} (${graph.get(at)!.get(next)})`);
      passed.add(next);
      at = next;
    }
  }
  return steps.join(" → ");
}

function shortestPath(
  graph: ReadonlyMap<string, ReadonlyMap<string, string>>,
  inside: ReadonlySet<string>,
  start: string,
  goal: string,
): string[] {
  const previous = new Map<string, string>([[start, start]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (!inside.has(next) || previous.has(next)) continue;
      previous.set(next, node);
      if (next === goal) return walkBack(previous, start, goal);
      queue.push(next);
    }
  }
  return [];
}

function walkBack(previous: ReadonlyMap<string, string>, start: string, goal: string): string[] {
  const path: string[] = [];
  for (let node = goal; node !== start; node = previous.get(node)!) path.unshift(node);
  return path;
}
