// The Kubernetes objects that carry one DB instance: its sandbox (a Pod in namespace aws-rds
// placed in the instance's subnet with its security groups, sized by its class), the claim of
// its block volume (in its zone), the MariaDB init script that gives the master user RDS's
// privileges, and the DnsRecord that publishes its endpoint to cluster DNS.

import { createHash } from "node:crypto";
import { classResources, type DBInstanceObject, endpointAddress, endpointToken, engineFacts, rdsNamespace } from "../../domain/rds/mod.js";
import { dnsRecordApiVersion, dnsRecordKind } from "../../domain/dns/mod.js";
import { subnetIdsAnnotation } from "../../domain/scheduling/mod.js";
import { securityGroupIdsAnnotation } from "../../domain/securitygroups/mod.js";
import type { StoredObject } from "../../store/mod.js";
import { claimZoneAnnotation } from "../volumes/mod.js";

export const instanceLabel = "rds.moor.dev/db-instance";
export const specHashAnnotation = "rds.moor.dev/server-spec";
export const rdsStorageClass = "moor-rds";

export interface ServerImages {
  mariadb: string;
  postgres: string;
}

const byteUnits = (miB: number) => `${miB}Mi`;

export function claimName(instance: DBInstanceObject): string {
  return `${instance.metadata.name}-data`;
}

export function storageClass(): StoredObject {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: rdsStorageClass, annotations: { "moor.dev/built-in": "true" } },
    provisioner: "ebs.csi.aws.com",
    parameters: { type: "gp2", fsType: "ext4" },
    reclaimPolicy: "Delete",
    volumeBindingMode: "Immediate",
    allowVolumeExpansion: true,
  };
}

export function claim(instance: DBInstanceObject): StoredObject {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: claimName(instance), namespace: rdsNamespace, labels: { [instanceLabel]: instance.metadata.name }, annotations: { [claimZoneAnnotation]: instance.spec.availabilityZone } },
    spec: { accessModes: ["ReadWriteOnce"], storageClassName: rdsStorageClass, resources: { requests: { storage: `${instance.spec.allocatedStorageGiB}Gi` } } },
  };
}

/** MariaDB's entrypoint makes the master user a user of the initial database; RDS's has every privilege. */
export function initScript(instance: DBInstanceObject): StoredObject {
  const user = instance.spec.masterUsername.replace(/'/g, "''");
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `${instance.metadata.name}-init`, namespace: rdsNamespace, labels: { [instanceLabel]: instance.metadata.name } },
    data: { "10-master-user.sql": `GRANT ALL PRIVILEGES ON *.* TO '${user}'@'%' WITH GRANT OPTION;\nFLUSH PRIVILEGES;\n` },
  };
}

function serverEnvironment(instance: DBInstanceObject): { name: string; value: string }[] {
  const { spec } = instance;
  if (engineFacts(spec.engine)!.server === "postgres") {
    return [
      { name: "POSTGRES_USER", value: spec.masterUsername },
      { name: "POSTGRES_PASSWORD", value: spec.masterUserPassword },
      { name: "POSTGRES_DB", value: spec.dbName ?? "postgres" },
    ];
  }
  return [
    { name: "MYSQL_ROOT_PASSWORD", value: spec.masterUserPassword },
    { name: "MYSQL_USER", value: spec.masterUsername },
    { name: "MYSQL_PASSWORD", value: spec.masterUserPassword },
    ...(spec.dbName ? [{ name: "MYSQL_DATABASE", value: spec.dbName }] : []),
  ];
}

/** What, when it changes, needs the server restarted: size, storage, groups, a reboot asked. */
export function serverSpecHash(instance: DBInstanceObject): string {
  const { spec, status } = instance;
  const parts = [spec.instanceClass, spec.allocatedStorageGiB, spec.securityGroupIds.join(","), spec.port, status.rebootGeneration ?? 0];
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
}

/** The scheduler's annotation for the node (and so the address) a sandbox is to get. */
const plannedNodeAnnotation = "moor.dev/planned-node";

export function pod(instance: DBInstanceObject, image: string, nodeName?: string): StoredObject {
  const { spec } = instance;
  const facts = engineFacts(spec.engine)!;
  const size = classResources(spec.instanceClass);
  // Fargate adds 256 MiB to the request when it sizes the sandbox; the class's memory is the sandbox.
  const resources = { cpu: String(size.cpu), memory: byteUnits(size.memoryMiB - 256) };
  const mariadb = facts.server === "mariadb";
  const args = mariadb ? ["mariadbd", `--port=${spec.port}`] : ["postgres", "-c", `port=${spec.port}`];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: instance.metadata.name,
      namespace: rdsNamespace,
      labels: { [instanceLabel]: instance.metadata.name, "app.kubernetes.io/managed-by": "rds.amazonaws.com" },
      annotations: {
        [subnetIdsAnnotation]: spec.subnetId,
        [securityGroupIdsAnnotation]: spec.securityGroupIds.join(","),
        [specHashAnnotation]: serverSpecHash(instance),
        ...(nodeName ? { [plannedNodeAnnotation]: nodeName } : {}),
      },
    },
    spec: {
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: facts.server,
          image,
          args,
          env: serverEnvironment(instance),
          ports: [{ name: "database", containerPort: spec.port, protocol: "TCP" }],
          resources: { requests: resources, limits: resources },
          readinessProbe: { tcpSocket: { port: spec.port }, periodSeconds: 1, failureThreshold: 1, successThreshold: 1, timeoutSeconds: 1 },
          volumeMounts: [{ name: "data", mountPath: facts.dataPath }, ...(mariadb ? [{ name: "init", mountPath: "/docker-entrypoint-initdb.d", readOnly: true }] : [])],
        },
      ],
      volumes: [{ name: "data", persistentVolumeClaim: { claimName: claimName(instance) } }, ...(mariadb ? [{ name: "init", configMap: { name: `${instance.metadata.name}-init` } }] : [])],
    },
  };
}

export function dnsRecordName(identifier: string): string {
  return `rds-${identifier}`;
}

export function dnsRecord(instance: DBInstanceObject, address: string, accountId: string, region: string): StoredObject {
  return {
    apiVersion: dnsRecordApiVersion,
    kind: dnsRecordKind,
    metadata: { name: dnsRecordName(instance.metadata.name), labels: { [instanceLabel]: instance.metadata.name } },
    spec: { name: endpointAddress(instance.spec.identifier, endpointToken(accountId, region), region), addresses: [address], ttlSeconds: 5 },
  };
}
