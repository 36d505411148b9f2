// Where the agent keeps things on the host, in one place. Names derived from the data directory
// (the VPC namespace, the cgroup parent) keep two Moors on one machine, such as parallel tests,
// apart.

import { createHash } from "node:crypto";
import { join } from "node:path";

export class AgentLayout {
  readonly home: string;
  readonly pods: string;
  readonly images: string;
  readonly runcRoot: string;
  readonly shimCache: string;
  /** The cgroup (in every v1 hierarchy) under which each pod gets its own. */
  readonly cgroupParent: string;

  constructor(home: string) {
    this.home = home;
    const digest = createHash("sha256").update(home).digest("hex").slice(0, 8);
    this.pods = join(home, "pods");
    this.images = join(home, "images");
    this.runcRoot = join(home, "agent", "runc");
    this.shimCache = join(home, "agent", "bin");
    this.cgroupParent = `moor-${digest}`;
  }

  podDir(uid: string): string {
    return join(this.pods, uid);
  }

  containerDir(uid: string, containerId: string): string {
    return join(this.pods, uid, "containers", containerId);
  }

  logFile(uid: string, containerName: string, restartCount: number): string {
    return join(this.pods, uid, "logs", containerName, `${restartCount}.log`);
  }

  podCgroup(uid: string): string {
    return `/${this.cgroupParent}/pod${uid.replace(/-/g, "")}`;
  }
}
