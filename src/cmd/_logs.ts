// `moor logs tail [--follow] [--since DURATION] GROUP`: what `aws logs tail` (a v2-only command)
// prints, for users of the aws CLI v1: a group's events in time order as `<time> <stream>
// <message>`, and with --follow the new ones as they arrive. It is an AWS client: it calls
// FilterLogEvents on Moor's AWS endpoint, as `aws logs tail` does against AWS.

import { loadConfig, paths } from "../config/mod.js";
import { readRunFile } from "./_runfile.js";

const followPollMs = 1_000;
/** Event ids remembered to print each event once while following. */
const seenMax = 10_000;
const usage = "Usage: moor logs tail [--follow] [--since <N>s|m|h|d] <log group>";

interface FilteredEvent {
  eventId: string;
  logStreamName: string;
  timestamp: number;
  message: string;
}

function sinceMs(text: string): number | undefined {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "s" | "m" | "h" | "d"];
}

async function filterEvents(endpoint: string, group: string, startTime: number): Promise<FilteredEvent[]> {
  const events: FilteredEvent[] = [];
  let nextToken: string | undefined;
  do {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Logs_20140328.FilterLogEvents" },
      body: JSON.stringify({ logGroupName: group, startTime, ...(nextToken ? { nextToken } : {}) }),
    });
    const body = (await response.json()) as { events?: FilteredEvent[]; nextToken?: string; message?: string; __type?: string };
    if (!response.ok) throw new Error(`Cannot read log group "${group}": ${body.__type ?? response.status}: ${body.message ?? ""}`);
    events.push(...(body.events ?? []));
    nextToken = body.nextToken;
  } while (nextToken);
  return events;
}

function format(event: FilteredEvent): string {
  return `${new Date(event.timestamp).toISOString().replace("Z", "000+00:00")} ${event.logStreamName} ${event.message}`;
}

export async function commandLogs(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== "tail") {
    console.error(usage);
    return 2;
  }
  let follow = false;
  let since = 10 * 60_000;
  let group: string | undefined;
  for (let index = 0; index < rest.length; index += 1) {
    const arg = rest[index]!;
    if (arg === "--follow" || arg === "-f") follow = true;
    else if (arg === "--since") since = sinceMs(rest[++index] ?? "") ?? NaN;
    else group = arg;
  }
  if (!group || Number.isNaN(since)) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig();
  const info = readRunFile(paths(config).runFile);
  const endpoint = `http://${info?.host ?? config.host}:${info?.awsPort ?? config.awsPort}/`;
  let startTime = Date.now() - since;
  const seen = new Set<string>();
  for (;;) {
    for (const event of await filterEvents(endpoint, group, startTime)) {
      if (seen.has(event.eventId)) continue;
      seen.add(event.eventId);
      if (seen.size > seenMax) seen.delete(seen.values().next().value!);
      console.log(format(event));
      startTime = Math.max(startTime, event.timestamp);
    }
    if (!follow) return 0;
    await new Promise((resolve) => setTimeout(resolve, followPollMs));
  }
}
