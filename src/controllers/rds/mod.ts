// The RDS controller: runs each DB instance (src/services/rds writes them) as a sandbox, a Pod
// in namespace `aws-rds` placed in one subnet of its subnet group with its security groups
// (DESIGN decision 9), its data on a block volume (a claim of the built-in `moor-rds` class, in
// the instance's zone), and moves it through RDS's lifecycle: creating → backing-up → available
// once the server answers on its port; modifying, rebooting, stopping → stopped → starting and
// deleting as the operations ask. The endpoint's name goes to cluster DNS as a DnsRecord. A server
// image missing from the image store is built first (`images`), the instance `creating` meanwhile
// and `failed` (with a Warning event saying why) if the build fails.
//
// Lifecycle: `createRdsController(...)` is a ControllerRuntime component (`start()`, `stop()`,
// `settled()` for tests). It re-reads the store at start, so instances survive a restart.

import type { Clock } from "../../clock/mod.js";
import { type DBInstanceObject, dbInstanceKind, rdsNamespace } from "../../domain/rds/mod.js";
import type { Store } from "../../store/mod.js";
import { type Controller, ControllerRuntime, objectKey, splitKey } from "../runtime/mod.js";
import { createRecorder } from "../../events/mod.js";
import { reconcileInstance } from "./_lifecycle.js";
import { presentImages, type ServerImageSource } from "./_images.js";
import { instanceLabel, type ServerImages, storageClass } from "./_objects.js";

export type { ServerImages } from "./_objects.js";
export { createServerImageSource, presentImages, type ImageState, type ServerImageOptions, type ServerImageSource, type ServerName } from "./_images.js";

/** The images a DB instance's server runs: built from examples/images/{mariadb,postgres}. */
export const defaultServerImages: ServerImages = { mariadb: "moor/rds-mariadb:10.11", postgres: "moor/rds-postgres:15" };

export interface RdsControllerOptions {
  store: Store;
  clock: Clock;
  region: string;
  accountId: string;
  /** Where the server images come from; by default they are taken as present under their names. */
  images?: ServerImageSource;
}

export function createRdsController(options: RdsControllerOptions): ControllerRuntime {
  const { store } = options;
  const recorder = createRecorder(store, { component: "rds-controller" }, () => options.clock.now());
  const context = { ...options, recorder, images: options.images ?? presentImages(defaultServerImages) };
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
