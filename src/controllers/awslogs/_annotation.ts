// The `moor.dev/awslogs` annotation: which containers of a pod ship their output where. Its
// value is JSON, `{"<container>": {"group", "region", "stream", "createGroup"}}`, as the ECS
// service writes it from a container definition's `awslogs` log configuration.

export const awsLogsAnnotation = "moor.dev/awslogs";

export interface AwsLogsDestination {
  group: string;
  region: string;
  stream: string;
  createGroup: boolean;
}

/** The annotation's destinations by container, or a sentence saying why it cannot be read. */
export function destinationsOf(annotations: Record<string, string> | undefined): Map<string, AwsLogsDestination> | string {
  const text = annotations?.[awsLogsAnnotation];
  if (text === undefined) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `annotation ${awsLogsAnnotation} is not JSON`;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return `annotation ${awsLogsAnnotation} is not a JSON object`;
  const destinations = new Map<string, AwsLogsDestination>();
  for (const [container, value] of Object.entries(parsed as Record<string, unknown>)) {
    const entry = value as Partial<AwsLogsDestination> | null;
    if (typeof entry?.group !== "string" || entry.group === "" || typeof entry.stream !== "string" || entry.stream === "") {
      return `annotation ${awsLogsAnnotation} names no group or stream for container "${container}"`;
    }
    destinations.set(container, { group: entry.group, stream: entry.stream, region: typeof entry.region === "string" ? entry.region : "", createGroup: entry.createGroup === true });
  }
  return destinations;
}
