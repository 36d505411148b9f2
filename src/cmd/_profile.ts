// `moor profile`: Fargate profiles (which pods run serverless) and `moor nodegroup`: long-lived
// nodes for the pods no profile selects. Both ask the running Moor through the moor API.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { loadConfig, paths } from "../config/mod.js";
import { callMoorApi } from "../frontends/moor/mod.js";

const profileUsage = `Usage:
  moor profile create NAME --namespace NS [--label KEY=VALUE]... [--subnet SUBNET]...
  moor profile create -f FILE        (YAML or JSON: {name, selectors: [{namespace, labels}], subnets})
  moor profile ls
  moor profile rm NAME`;

const nodeGroupUsage = `Usage:
  moor nodegroup create NAME [--zone ZONE] [--nodes N]
  moor nodegroup ls
  moor nodegroup rm NAME`;

function socket(): string {
  return paths(loadConfig()).socket;
}

export async function commandProfile(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { namespace: { type: "string" }, label: { type: "string", multiple: true }, subnet: { type: "string", multiple: true }, file: { type: "string", short: "f" } },
  });
  if (verb === "ls") {
    const { items } = await callMoorApi(socket(), "GET", "/v1/fargate-profiles");
    const rows = (items as any[]).map((p) => [p.metadata.name, p.status.status, p.spec.selectors.map(describeSelector).join(" "), p.spec.subnets.join(",")]);
    printTable(["NAME", "STATUS", "SELECTORS", "SUBNETS"], rows);
    return 0;
  }
  if (verb === "rm" && positionals[0]) {
    await callMoorApi(socket(), "DELETE", `/v1/fargate-profiles/${encodeURIComponent(positionals[0])}`);
    console.log(`fargate profile "${positionals[0]}" deleting`);
    return 0;
  }
  if (verb === "create") {
    const input = values.file ? readProfileFile(values.file) : profileFromFlags(positionals[0], values);
    if (!input) {
      console.error(profileUsage);
      return 2;
    }
    const created = await callMoorApi(socket(), "POST", "/v1/fargate-profiles", input);
    console.log(`fargate profile "${created.metadata.name}" created (${created.status.fargateProfileArn})`);
    return 0;
  }
  console.error(profileUsage);
  return 2;
}

export async function commandNodeGroup(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { zone: { type: "string" }, nodes: { type: "string" } } });
  if (verb === "ls") {
    const { items } = await callMoorApi(socket(), "GET", "/v1/node-groups");
    printTable(["NAME", "ZONE", "NODES"], (items as any[]).map((g) => [g.metadata.name, g.spec.zone, String(g.spec.nodes)]));
    return 0;
  }
  if (verb === "rm" && positionals[0]) {
    await callMoorApi(socket(), "DELETE", `/v1/node-groups/${encodeURIComponent(positionals[0])}`);
    console.log(`node group "${positionals[0]}" deleted`);
    return 0;
  }
  if (verb === "create" && positionals[0]) {
    const nodes = values.nodes === undefined ? undefined : Number(values.nodes);
    const created = await callMoorApi(socket(), "POST", "/v1/node-groups", { name: positionals[0], zone: values.zone, nodes });
    console.log(`node group "${created.metadata.name}" created: ${created.spec.nodes} node(s) in ${created.spec.zone}`);
    return 0;
  }
  console.error(nodeGroupUsage);
  return 2;
}

function profileFromFlags(name: string | undefined, values: { namespace?: string; label?: string[]; subnet?: string[] }) {
  if (!name || !values.namespace) return undefined;
  const labels: Record<string, string> = {};
  for (const pair of values.label ?? []) {
    const equals = pair.indexOf("=");
    if (equals < 1) throw new Error(`Cannot read --label "${pair}": expected KEY=VALUE`);
    labels[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return { name, selectors: [{ namespace: values.namespace, labels }], subnets: values.subnet ?? [] };
}

function readProfileFile(file: string) {
  const text = file === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8");
  let parsed: any;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new Error(`Cannot read profile file "${file}": ${(error as Error).message.split("\n")[0]}`);
  }
  if (!parsed || typeof parsed !== "object" || typeof parsed.name !== "string" || !Array.isArray(parsed.selectors)) {
    throw new Error(`Cannot read profile file "${file}": it needs "name" and a "selectors" list`);
  }
  return parsed;
}

function describeSelector(selector: { namespace: string; labels?: Record<string, string> }): string {
  const labels = Object.entries(selector.labels ?? {}).map(([key, value]) => `${key}=${value}`);
  return labels.length ? `${selector.namespace}{${labels.join(",")}}` : selector.namespace;
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]! + 3))).join(""));
}
