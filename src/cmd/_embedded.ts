// The embedded Moor: every part in one process, state under one data directory. This file is
// the only place that chooses implementations and connects them.

import { mkdirSync } from "node:fs";
import type { MoorConfig } from "../config/mod.js";
import { paths } from "../config/mod.js";
import { openSqliteStore } from "../store/mod.js";
import type { Store } from "../store/mod.js";
import type { Component } from "./_component.js";
import { moorApiRoutes } from "./_api-routes.js";
import { createMoorApi } from "../frontends/moor/mod.js";
import { clusterName, createProfileController, ensureDefaultProfile } from "../controllers/profiles/mod.js";
import { createEfsAccessPoints, createVolumeController, ensureCsiDriver } from "../controllers/volumes/mod.js";
import { createScheduler } from "../controllers/scheduler/mod.js";
import { FileSystemController } from "../controllers/filesystems/mod.js";
import { createFileSystemEngine } from "../engines/filesystems/mod.js";
import { AwsServer } from "../frontends/aws/mod.js";
import { createEfsService } from "../frontends/aws/efs/mod.js";
import { createKubeApi, kubeRunInfo } from "../frontends/kube/mod.js";
import { createWorkloadControllers } from "../controllers/workloads/mod.js";
import { createNodeAgent, createNodeLifecycleController } from "../agent/mod.js";
import { readRunFile, removeRunFile, writeRunFile } from "./_runfile.js";

export interface EmbeddedMoor {
  store: Store;
  stop(): Promise<void>;
}

export async function startEmbedded(config: MoorConfig): Promise<EmbeddedMoor> {
  const files = paths(config);
  const running = readRunFile(files.runFile);
  if (running && running.pid !== process.pid) {
    throw new Error(`Cannot start Moor: it already runs for "${config.home}" as pid ${running.pid}`);
  }
  mkdirSync(config.home, { recursive: true });
  mkdirSync(config.backingRoot, { recursive: true });
  const store = openSqliteStore(files.database);
  const components = buildComponents(config, store);
  const started: Component[] = [];
  const stop = async () => {
    for (const component of started.reverse()) {
      await component.stop().catch((error) => console.error(`moor: stopping ${component.name} failed:`, error));
    }
    store.close();
    removeRunFile(files.runFile, process.pid);
  };
  try {
    for (const component of components) {
      await component.start();
      started.push(component);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  writeRunFile(files.runFile, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    host: config.host,
    awsPort: config.awsPort,
    ...kubeRunInfo(config),
    region: config.region,
  });
  return { store, stop };
}

function buildComponents(config: MoorConfig, store: Store): Component[] {
  if (config.defaultProfile) ensureDefaultProfile(store, config);
  ensureCsiDriver(store);
  const accessPoints = createEfsAccessPoints(`http://${config.host}:${config.awsPort}`, config.backingRoot);
  const fileSystems = createFileSystemEngine({ backingRoot: config.backingRoot });
  const efs = createEfsService({ store, region: config.region, accountId: config.accountId });
  const agent = createNodeAgent({ store, config, agentName: config.agentName });
  return [
    new FileSystemController({ store, engine: fileSystems }),
    new AwsServer({ host: config.host, port: config.awsPort, services: [efs] }),
    createMoorApi(paths(config).socket, moorApiRoutes(config, store)),
    createProfileController(store, config, config.agentName),
    createScheduler({ store, config, agentName: config.agentName }),
    createVolumeController({ store, accessPoints, clusterName }),
    createKubeApi({ store, config, podIO: () => agent.io }),
    createWorkloadControllers({ store }),
    createNodeLifecycleController({ store }),
    agent,
  ];
}
