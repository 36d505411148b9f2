// The RDS controller: runs each DB instance (src/services/rds writes them) as a sandbox, a Pod
// in namespace `aws-rds` placed in one subnet of its subnet group with its security groups
// (DESIGN decision 9), its data on a block volume (a claim of the built-in `moor-rds` class, in
// the instance's zone), and moves it through RDS's lifecycle: creating → backing-up → available
// once the server answers on its port; modifying, rebooting, stopping → stopped → starting and
// deleting as the operations ask. The endpoint's name goes to cluster DNS as a DnsRecord.
//
// Lifecycle: `createRdsController(...)` is a ControllerRuntime component (`start()`, `stop()`,
// `settled()` for tests). It re-reads the store at start, so instances survive a restart.

import type { Clock } from "../../clock/mod.js";
import { type DBInstanceObject, dbInstanceKind, rdsNamespace } from "../../domain/rds/mod.js";
import type { Store } from "../../store/mod.js";
import { type Controller, ControllerRuntime, objectKey, splitKey } from "../runtime/mod.js";
import { reconcileInstance } from "./_lifecycle.js";
import { instanceLabel, type ServerImages, storageClass } from "./_objects.js";

export type { ServerImages } from "./_objects.js";

/** The images a DB instance's server runs: built from examples/images/{mariadb,postgres}. */
export const defaultServerImages: ServerImages = { mariadb: "moor/rds-mariadb:10.11", postgres: "moor/rds-postgres:15" };

export interface RdsControllerOptions {
  store: Store;
  clock: Clock;
  region: string;
  accountId: string;
  images?: ServerImages;
}

export function createRdsController(options: RdsControllerOptions): ControllerRuntime {
  const { store } = options;
  const context = { ...options, images: options.images ?? defaultServerImages };
  const instanceKey = (name: string) => objectKey({ kind: dbInstanceKind, name });
  const controller: Controller = {
    name: "rds-controller",
    kinds: [dbInstanceKind, "Pod", "PersistentVolumeClaim", "PersistentVolume"],
    keysFor: (event) => {
      const object = event.object;
      if (object.kind === dbInstanceKind) return [instanceKey(object.metadata.name)];
      const owner = object.metadata.labels?.[instanceLabel];
      if (owner && object.metadata.namespace === rdsNamespace) return [instanceKey(owner)];
      const claimRef = object.kind === "PersistentVolume" ? object.spec?.claimRef : undefined;
      if (claimRef?.namespace === rdsNamespace) return [instanceKey(String(claimRef.name).replace(/-data$/, ""))];
      return [];
    },
    allKeys: () => store.list(dbInstanceKind).items.map((instance) => instanceKey(instance.metadata.name)),
    reconcile: (key) => {
      const instance = store.get({ kind: dbInstanceKind, name: splitKey(key).name }) as unknown as DBInstanceObject | undefined;
      if (!instance) return;
      if (!store.get({ kind: "StorageClass", name: storageClass().metadata.name })) store.create(storageClass());
      return reconcileInstance(context, instance);
    },
    resyncIntervalMs: 10_000,
  };
  return new ControllerRuntime({ name: "rds-controller", store, clock: options.clock, controllers: [controller] });
}
