// Validation of the non-workload kinds: services, config, storage, namespaces.

import { duplicate, type FieldError, forbidden, immutable, invalidValue, notSupported, required } from "./field-errors.js";
import { labelProblems } from "./names.js";
import { parseQuantity, quantityMessage } from "./quantity.js";
import { sortKeys } from "./validation-pod.js";

const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a ?? null)) === JSON.stringify(sortKeys(b ?? null));
const accessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
const configKeyPattern = /^[-._a-zA-Z0-9]+$/;
const configKeyMessage =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

export function validateService(object: any, errors: FieldError[]): void {
  const spec = object.spec ?? {};
  const types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
  if (spec.type !== undefined && !types.includes(spec.type)) errors.push(notSupported("spec.type", spec.type, types));
  const ports = spec.ports ?? [];
  const headless = spec.clusterIP === "None";
  if (ports.length === 0 && !headless && spec.type !== "ExternalName") errors.push(required("spec.ports"));
  const names = new Set<string>();
  ports.forEach((port: any, index: number) => {
    const at = `spec.ports[${index}]`;
    if (ports.length > 1 && !port?.name) errors.push(required(`${at}.name`));
    if (port?.name) {
      for (const problem of labelProblems(port.name)) errors.push(invalidValue(`${at}.name`, port.name, problem));
      if (names.has(port.name)) errors.push(duplicate(`${at}.name`, port.name));
      names.add(port.name);
    }
    if (!(Number.isInteger(port?.port) && port.port >= 1 && port.port <= 65535)) {
      errors.push(invalidValue(`${at}.port`, port?.port, "must be between 1 and 65535, inclusive"));
    }
    const protocols = ["SCTP", "TCP", "UDP"];
    if (port?.protocol !== undefined && !protocols.includes(port.protocol)) errors.push(notSupported(`${at}.protocol`, port.protocol, protocols));
  });
  if (spec.type === "ExternalName" && !spec.externalName) errors.push(required("spec.externalName"));
}

export function validateServiceUpdate(object: any, old: any, errors: FieldError[]): void {
  const before = old.spec?.clusterIP;
  if (before && before !== "None" && object.spec?.clusterIP !== undefined && object.spec.clusterIP !== before) {
    errors.push(invalidValue("spec.clusterIPs[0]", object.spec.clusterIP, "may not change once set"));
  }
}

function validateConfigKeys(object: any, field: string, errors: FieldError[]): void {
  for (const key of Object.keys(object[field] ?? {})) {
    if (!configKeyPattern.test(key) || key.length > 253) errors.push(invalidValue(`${field}[${key}]`, key, configKeyMessage));
  }
}

export function validateConfigMap(object: any, errors: FieldError[]): void {
  validateConfigKeys(object, "data", errors);
  validateConfigKeys(object, "binaryData", errors);
  for (const key of Object.keys(object.data ?? {})) {
    if (object.binaryData && key in object.binaryData) errors.push(invalidValue(`data[${key}]`, key, "duplicate of key present in binaryData"));
  }
  const size = JSON.stringify(object.data ?? {}).length + JSON.stringify(object.binaryData ?? {}).length;
  if (size > 1024 * 1024) errors.push(invalidValue("data", "<omitted>", "must have at most 1048576 bytes"));
}

export function validateSecret(object: any, errors: FieldError[]): void {
  validateConfigKeys(object, "data", errors);
  for (const [key, value] of Object.entries(object.data ?? {})) {
    if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
      errors.push(invalidValue(`data[${key}]`, "<secret contents redacted>", "illegal base64 data"));
    }
  }
}

export function validateImmutableData(object: any, old: any, errors: FieldError[]): void {
  if (old.immutable === true) {
    if (!same(object.data, old.data)) errors.push(forbidden("data", "field is immutable when `immutable` is set"));
    if (!same(object.binaryData, old.binaryData) && old.kind === "ConfigMap") errors.push(forbidden("binaryData", "field is immutable when `immutable` is set"));
    if (object.immutable !== true) errors.push(forbidden("immutable", "field is immutable when `immutable` is set"));
  }
  if (old.kind === "Secret" && object.type !== old.type) errors.push(immutable("type", object.type));
}

function validateAccessModes(modes: any, path: string, errors: FieldError[]): void {
  if (!Array.isArray(modes) || modes.length === 0) {
    errors.push(required(path, "at least 1 access mode is required"));
    return;
  }
  for (const mode of modes) if (!accessModes.includes(mode)) errors.push(notSupported(path, mode, accessModes));
}

function validateStorage(value: unknown, path: string, errors: FieldError[]): void {
  if (value === undefined) {
    errors.push(required(path));
    return;
  }
  const quantity = parseQuantity(value);
  if (quantity === undefined) errors.push(invalidValue(path, value, quantityMessage));
  else if (quantity <= 0) errors.push(invalidValue(path, value, "must be greater than zero"));
}

export function validateClaim(object: any, errors: FieldError[]): void {
  const spec = object.spec ?? {};
  validateAccessModes(spec.accessModes, "spec.accessModes", errors);
  validateStorage(spec.resources?.requests?.storage, "spec.resources[storage]", errors);
  const modes = ["Block", "Filesystem"];
  if (spec.volumeMode !== undefined && !modes.includes(spec.volumeMode)) errors.push(notSupported("spec.volumeMode", spec.volumeMode, modes));
}

export function validateClaimUpdate(object: any, old: any, errors: FieldError[]): void {
  const strip = (spec: any) => {
    const copy = structuredClone(spec ?? {});
    delete copy.resources;
    delete copy.volumeAttributesClassName;
    if (!old.spec?.volumeName) delete copy.volumeName;
    return copy;
  };
  if (!same(strip(object.spec), strip(old.spec))) {
    errors.push(forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
  }
}

const volumeFields = new Set([
  "capacity",
  "accessModes",
  "claimRef",
  "persistentVolumeReclaimPolicy",
  "storageClassName",
  "mountOptions",
  "volumeMode",
  "nodeAffinity",
  "volumeAttributesClassName",
]);

export function validateVolume(object: any, errors: FieldError[]): void {
  const spec = object.spec ?? {};
  if (!spec.capacity) errors.push(required("spec.capacity"));
  else validateStorage(spec.capacity.storage, "spec.capacity[storage]", errors);
  validateAccessModes(spec.accessModes, "spec.accessModes", errors);
  const sources = Object.keys(spec).filter((key) => !volumeFields.has(key));
  if (sources.length === 0) errors.push(required("spec", "must specify a volume type"));
  else if (sources.length > 1) errors.push(forbidden(`spec.${sources[1]}`, "may not specify more than 1 volume type"));
  const policies = ["Delete", "Recycle", "Retain"];
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy !== undefined && !policies.includes(policy)) errors.push(notSupported("spec.persistentVolumeReclaimPolicy", policy, policies));
  if (spec.csi && !spec.csi.driver) errors.push(required("spec.csi.driver"));
  if (spec.csi && !spec.csi.volumeHandle) errors.push(required("spec.csi.volumeHandle"));
}

export function validateVolumeUpdate(object: any, old: any, errors: FieldError[]): void {
  const source = (spec: any) => Object.fromEntries(Object.entries(spec ?? {}).filter(([key]) => !volumeFields.has(key)));
  if (!same(source(object.spec), source(old.spec))) errors.push(forbidden("spec.persistentvolumesource", "spec.persistentvolumesource is immutable after creation"));
}

export function validateStorageClass(object: any, errors: FieldError[]): void {
  if (!object.provisioner) errors.push(required("provisioner"));
  const policies = ["Delete", "Retain"];
  if (object.reclaimPolicy !== undefined && !policies.includes(object.reclaimPolicy)) errors.push(notSupported("reclaimPolicy", object.reclaimPolicy, policies));
  const modes = ["Immediate", "WaitForFirstConsumer"];
  if (object.volumeBindingMode !== undefined && !modes.includes(object.volumeBindingMode)) {
    errors.push(notSupported("volumeBindingMode", object.volumeBindingMode, modes));
  }
}

export function validateStorageClassUpdate(object: any, old: any, errors: FieldError[]): void {
  for (const field of ["parameters", "provisioner", "reclaimPolicy", "volumeBindingMode"]) {
    if (!same(object[field], old[field])) errors.push(forbidden(field, `updates to ${field} are forbidden.`));
  }
}

export function validateEvent(object: any, errors: FieldError[]): void {
  if (!object.involvedObject) errors.push(required("involvedObject"));
  const types = ["Normal", "Warning"];
  if (object.type !== undefined && !types.includes(object.type)) errors.push(notSupported("type", object.type, types));
}

export function validateLease(object: any, errors: FieldError[]): void {
  const duration = object.spec?.leaseDurationSeconds;
  if (duration !== undefined && duration <= 0) errors.push(invalidValue("spec.leaseDurationSeconds", duration, "must be greater than 0"));
}
