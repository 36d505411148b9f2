// The moor API's routes (see src/frontends/moor): each maps a `moor` subcommand's request to
// the module that owns the rule: the EKS service for profiles and node groups, the mount engine
// for host mounts.

import type { MoorConfig } from "../config/mod.js";
import { isAbsolute } from "node:path";
import { embeddedVpc } from "../domain/network/mod.js";
import type { ActiveMount, MountEngine } from "../engines/mount/mod.js";
import { invalid, notFound, unavailable } from "../errors/mod.js";
import type { Routes } from "../frontends/moor/mod.js";
import type { CreateFargateProfileInput, CreateNodeGroupInput, EksService } from "../services/eks/mod.js";

export function moorApiRoutes(config: MoorConfig, eks: EksService, mounts?: MountEngine): Routes {
  const hostZone = embeddedVpc(config.region).subnets[0]!.availabilityZone;
  const describe = (mount: ActiveMount) => ({ mountPoint: mount.mountPoint, target: mount.target, kind: mount.kind, readOnly: mount.readOnly, fileSystemId: mount.fileSystemId, accessPointId: mount.accessPointId });
  const engine = () => {
    if (!mounts) throw unavailable("Cannot mount: the mount engine is not running");
    return mounts;
  };
  return {
    "GET mounts": () => ({ items: engine().list().map(describe) }),
    "POST mounts": async ({ body }) => {
      const input = objectBody(body);
      const directory = input.directory;
      if (typeof input.target !== "string" || typeof directory !== "string" || !isAbsolute(directory)) {
        throw invalid("Cannot mount: the request needs a target and an absolute directory");
      }
      const mount = await engine().mount({
        target: input.target,
        mountPoint: directory,
        zone: typeof input.zone === "string" ? input.zone : hostZone,
        tls: input.tls === true,
        iam: input.iam === true,
        readOnly: input.readOnly === true,
        ...(typeof input.accessPointId === "string" ? { accessPointId: input.accessPointId } : {}),
      });
      return describe(mount);
    },
    "DELETE mounts": async ({ query }) => {
      await engine().unmount(query.get("directory") ?? "");
      return {};
    },
    "GET fargate-profiles": () => ({ items: eks.listFargateProfiles() }),
    "POST fargate-profiles": ({ body }) => eks.createFargateProfile(profileInput(objectBody(body))),
    "DELETE fargate-profiles": ({ path }) => eks.deleteFargateProfile(path[0] ?? ""),
    "GET node-groups": () => ({ items: eks.listNodeGroups() }),
    "POST node-groups": ({ body }) => eks.createNodeGroup(nodeGroupInput(objectBody(body))),
    "DELETE node-groups": ({ path }) => eks.deleteNodeGroup(path[0] ?? ""),
    // The EKS API's operations by name (`moor cluster` sends the requests eksctl's file means).
    "POST eks": ({ path, body }) => {
      const operation = eks.operations[path[0] ?? ""];
      if (!operation) throw notFound(`Cannot call EKS operation ${JSON.stringify(path[0] ?? "")}: Moor has no such operation`);
      return operation(objectBody(body));
    },
  };
}

function objectBody(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalid("Cannot read the request: the body must be a JSON object");
  return body as Record<string, unknown>;
}

/** The members `moor profile create` sends; the service checks their values. */
function profileInput(body: Record<string, unknown>): CreateFargateProfileInput {
  const { name, selectors, subnets, podExecutionRoleArn, tags } = body;
  return { name, selectors, subnets, podExecutionRoleArn, tags } as CreateFargateProfileInput;
}

function nodeGroupInput(body: Record<string, unknown>): CreateNodeGroupInput {
  const { name, zone, nodes } = body;
  return { name, zone, nodes } as CreateNodeGroupInput;
}
