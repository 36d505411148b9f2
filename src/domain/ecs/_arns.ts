// ECS's names for its objects (the long ARN format, aws-control-plane.md §7.1) and the
// identifiers its operations accept: a name or an ARN for clusters and services, an id or an
// ARN for tasks, `family`, `family:revision` or an ARN for task definitions.

export interface Place {
  region: string;
  accountId: string;
}

const prefix = (place: Place) => `arn:aws:ecs:${place.region}:${place.accountId}`;

export function clusterArn(place: Place, cluster: string): string {
  return `${prefix(place)}:cluster/${cluster}`;
}

export function taskDefinitionArn(place: Place, family: string, revision: number): string {
  return `${prefix(place)}:task-definition/${family}:${revision}`;
}

export function taskArn(place: Place, cluster: string, taskId: string): string {
  return `${prefix(place)}:task/${cluster}/${taskId}`;
}

export function containerArn(place: Place, cluster: string, taskId: string, containerId: string): string {
  return `${prefix(place)}:container/${cluster}/${taskId}/${containerId}`;
}

export function serviceArn(place: Place, cluster: string, service: string): string {
  return `${prefix(place)}:service/${cluster}/${service}`;
}

/** The cluster a `cluster` member names: its name, or the name in its ARN; "default" when absent. */
export function clusterNameOf(identifier: string | undefined): string {
  if (!identifier) return "default";
  const match = /^arn:aws[a-z-]*:ecs:[^:]*:\d*:cluster\/(.+)$/.exec(identifier);
  return match ? match[1]! : identifier;
}

/** The last path segment of a task or service ARN (its id or name), or the identifier itself. */
export function lastSegmentOf(identifier: string): string {
  return identifier.startsWith("arn:") ? identifier.slice(identifier.lastIndexOf("/") + 1) : identifier;
}

/** The cluster a task or service ARN names (long format), if it names one. */
export function clusterOfArn(identifier: string): string | undefined {
  const match = /^arn:aws[a-z-]*:ecs:[^:]*:\d*:(?:task|service)\/([^/]+)\/[^/]+$/.exec(identifier);
  return match?.[1];
}

/** `family`, `family:3` or an ARN as family and revision (undefined: the latest ACTIVE one). */
export function taskDefinitionReference(identifier: string): { family: string; revision?: number } | undefined {
  const bare = identifier.startsWith("arn:") ? /:task-definition\/(.+)$/.exec(identifier)?.[1] : identifier;
  if (!bare) return undefined;
  const colon = bare.lastIndexOf(":");
  if (colon < 0) return { family: bare };
  const revision = Number(bare.slice(colon + 1));
  if (!Number.isInteger(revision) || revision < 1) return undefined;
  return { family: bare.slice(0, colon), revision };
}

/** A resource ARN's type and path after it (for tags): `cluster`, `task-definition`, `task`, `service`. */
export function resourceOfArn(arn: string): { type: string; path: string } | undefined {
  const match = /^arn:aws[a-z-]*:ecs:[^:]*:\d*:([a-z-]+)\/(.+)$/.exec(arn);
  return match ? { type: match[1]!, path: match[2]! } : undefined;
}
