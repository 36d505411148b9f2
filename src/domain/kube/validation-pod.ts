// PodSpec validation (pods and every pod template) with upstream's field paths and messages.

import {
  duplicate,
  type FieldError,
  forbidden,
  invalidValue,
  notFoundValue,
  notSupported,
  required,
} from "./field-errors.js";
import { labelProblems } from "./names.js";
import { parseQuantity, quantityMessage } from "./quantity.js";

const restartPolicies = ["Always", "OnFailure", "Never"];
const dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const pullPolicies = ["Always", "IfNotPresent", "Never"];
const protocols = ["SCTP", "TCP", "UDP"];
const envNamePattern = /^[^=]+$/;
const envNameMessage = "a valid environment variable name must consist of printable ASCII characters other than '='";

/** `claimVolumes`: volume names a StatefulSet's volumeClaimTemplates add to each pod. */
export function validatePodSpec(spec: any, path: string, errors: FieldError[], claimVolumes: string[] = []): void {
  if (!spec || typeof spec !== "object") {
    errors.push(required(path));
    return;
  }
  const volumes = validateVolumes(spec.volumes, `${path}.volumes`, errors);
  for (const name of claimVolumes) volumes.add(name);
  const names = new Set<string>();
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) errors.push(required(`${path}.containers`));
  else spec.containers.forEach((container: any, index: number) => validateContainer(container, `${path}.containers[${index}]`, volumes, names, errors));
  (spec.initContainers ?? []).forEach((container: any, index: number) =>
    validateContainer(container, `${path}.initContainers[${index}]`, volumes, names, errors),
  );
  if (spec.restartPolicy !== undefined && !restartPolicies.includes(spec.restartPolicy)) {
    errors.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, restartPolicies));
  }
  if (spec.dnsPolicy !== undefined && !dnsPolicies.includes(spec.dnsPolicy)) {
    errors.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, dnsPolicies));
  }
  nonNegative(spec.terminationGracePeriodSeconds, `${path}.terminationGracePeriodSeconds`, errors);
  if (spec.activeDeadlineSeconds !== undefined && !(spec.activeDeadlineSeconds > 0)) {
    errors.push(invalidValue(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, "must be between 1 and 2147483647, inclusive"));
  }
  if (spec.hostname !== undefined) for (const problem of labelProblems(spec.hostname)) errors.push(invalidValue(`${path}.hostname`, spec.hostname, problem));
}

function validateVolumes(volumes: any, path: string, errors: FieldError[]): Set<string> {
  const names = new Set<string>();
  if (volumes === undefined || volumes === null) return names;
  volumes.forEach((volume: any, index: number) => {
    const at = `${path}[${index}]`;
    if (!volume?.name) errors.push(required(`${at}.name`));
    else {
      for (const problem of labelProblems(volume.name)) errors.push(invalidValue(`${at}.name`, volume.name, problem));
      if (names.has(volume.name)) errors.push(duplicate(`${at}.name`, volume.name));
      names.add(volume.name);
    }
    const sources = Object.keys(volume ?? {}).filter((key) => key !== "name");
    if (sources.length === 0) errors.push(required(at, "must specify a volume type"));
    else if (sources.length > 1) errors.push(forbidden(`${at}.${sources[1]}`, `may not specify more than 1 volume type`));
    if (volume?.persistentVolumeClaim && !volume.persistentVolumeClaim.claimName) {
      errors.push(required(`${at}.persistentVolumeClaim.claimName`));
    }
  });
  return names;
}

function validateContainer(container: any, path: string, volumes: Set<string>, names: Set<string>, errors: FieldError[]): void {
  if (!container || typeof container !== "object") {
    errors.push(required(path));
    return;
  }
  if (!container.name) errors.push(required(`${path}.name`));
  else {
    for (const problem of labelProblems(container.name)) errors.push(invalidValue(`${path}.name`, container.name, problem));
    if (names.has(container.name)) errors.push(duplicate(`${path}.name`, container.name));
    names.add(container.name);
  }
  if (!container.image || String(container.image).trim() === "") errors.push(required(`${path}.image`));
  if (container.imagePullPolicy !== undefined && !pullPolicies.includes(container.imagePullPolicy)) {
    errors.push(notSupported(`${path}.imagePullPolicy`, container.imagePullPolicy, pullPolicies));
  }
  validatePorts(container.ports, `${path}.ports`, errors);
  (container.env ?? []).forEach((variable: any, index: number) => {
    if (!variable?.name) errors.push(required(`${path}.env[${index}].name`));
    else if (!envNamePattern.test(variable.name)) errors.push(invalidValue(`${path}.env[${index}].name`, variable.name, envNameMessage));
  });
  const mountPaths = new Set<string>();
  (container.volumeMounts ?? []).forEach((mount: any, index: number) => {
    const at = `${path}.volumeMounts[${index}]`;
    if (!mount?.name) errors.push(required(`${at}.name`));
    else if (!volumes.has(mount.name)) errors.push(notFoundValue(`${at}.name`, mount.name));
    if (!mount?.mountPath) errors.push(required(`${at}.mountPath`));
    else if (mountPaths.has(mount.mountPath)) errors.push(invalidValue(`${at}.mountPath`, mount.mountPath, "must be unique"));
    else mountPaths.add(mount.mountPath);
    if (typeof mount?.subPath === "string" && (mount.subPath.startsWith("/") || mount.subPath.split("/").includes(".."))) {
      errors.push(invalidValue(`${at}.subPath`, mount.subPath, "must be a relative path without '..'"));
    }
  });
  validateResources(container.resources, `${path}.resources`, errors);
}

function validatePorts(ports: any, path: string, errors: FieldError[]): void {
  const names = new Set<string>();
  (ports ?? []).forEach((port: any, index: number) => {
    const at = `${path}[${index}]`;
    if (port?.containerPort === undefined) errors.push(required(`${at}.containerPort`));
    else if (!(Number.isInteger(port.containerPort) && port.containerPort >= 1 && port.containerPort <= 65535)) {
      errors.push(invalidValue(`${at}.containerPort`, port.containerPort, "must be between 1 and 65535, inclusive"));
    }
    if (port?.protocol !== undefined && !protocols.includes(port.protocol)) errors.push(notSupported(`${at}.protocol`, port.protocol, protocols));
    if (port?.name) {
      if (names.has(port.name)) errors.push(duplicate(`${at}.name`, port.name));
      names.add(port.name);
    }
  });
}

function validateResources(resources: any, path: string, errors: FieldError[]): void {
  if (!resources) return;
  for (const part of ["limits", "requests"] as const) {
    for (const [name, value] of Object.entries(resources[part] ?? {})) {
      const quantity = parseQuantity(value);
      if (quantity === undefined) errors.push(invalidValue(`${path}.${part}[${name}]`, value, quantityMessage));
      else if (quantity < 0) errors.push(invalidValue(`${path}.${part}[${name}]`, value, "must be greater than or equal to 0"));
    }
  }
  for (const [name, value] of Object.entries(resources.requests ?? {})) {
    const limit = resources.limits?.[name];
    if (limit === undefined) continue;
    const request = parseQuantity(value);
    const cap = parseQuantity(limit);
    if (request !== undefined && cap !== undefined && request > cap) {
      errors.push(invalidValue(`${path}.requests`, value, `must be less than or equal to ${name} limit of ${limit}`));
    }
  }
}

export function nonNegative(value: unknown, path: string, errors: FieldError[]): void {
  if (value === undefined || value === null) return;
  if (typeof value === "number" && value < 0) errors.push(invalidValue(path, value, "must be greater than or equal to 0"));
}

const mutablePodFields =
  "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`," +
  "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations)," +
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/** A pod's spec is immutable but for images, the deadline and added tolerations. */
export function validatePodSpecUpdate(spec: any, old: any, errors: FieldError[]): void {
  const strip = (value: any) => {
    const copy = structuredClone(value ?? {});
    for (const list of ["containers", "initContainers"]) for (const container of copy[list] ?? []) delete container.image;
    delete copy.activeDeadlineSeconds;
    delete copy.tolerations;
    return JSON.stringify(sortKeys(copy));
  };
  if (strip(spec) !== strip(old)) errors.push(forbidden("spec", mutablePodFields));
}

function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
  return value;
}

export { sortKeys };
