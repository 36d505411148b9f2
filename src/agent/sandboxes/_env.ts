// A container's environment as the kubelet builds it: the image's variables, then envFrom
// (config maps and secrets, with prefixes), then env with values or valueFrom (config map and
// secret keys, pod fields, resource fields), with $(VAR) references expanded.

import type { ConfigMap, Container, Pod, Secret } from "../../domain/kube/mod.js";
import { invalid, quote } from "../../errors/mod.js";
import type { AgentPort } from "../port/mod.js";
import { decodedSecret, podField, resourceField, type PodFacts } from "../downward/mod.js";

const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

async function keyOf(port: AgentPort, kind: "ConfigMap" | "Secret", namespace: string, name: string, key: string, optional: boolean): Promise<string | undefined> {
  const object = await readSource(port, kind, namespace, name);
  if (!object) {
    if (optional) return undefined;
    throw invalid(`${kind.toLowerCase()} ${quote(name)} not found`, { code: "CreateContainerConfigError" });
  }
  const data = kind === "Secret" ? decodedSecret(object) : { ...object.data };
  if (!(key in data)) {
    if (optional) return undefined;
    throw invalid(`couldn't find key ${key} in ${kind} ${namespace}/${name}`, { code: "CreateContainerConfigError" });
  }
  return data[key];
}

export async function containerEnv(port: AgentPort, pod: Pod, container: Container, imageEnv: string[] | undefined, facts: PodFacts): Promise<string[]> {
  const namespace = pod.metadata.namespace ?? "default";
  const values = new Map<string, string>();
  for (const entry of imageEnv ?? [defaultPath]) {
    const split = entry.indexOf("=");
    values.set(split < 0 ? entry : entry.slice(0, split), split < 0 ? "" : entry.slice(split + 1));
  }
  if (!values.has("PATH")) values.set("PATH", defaultPath.slice(5));
  values.set("HOSTNAME", pod.metadata.name);
  for (const source of container.envFrom ?? []) {
    const kind = source.configMapRef ? "ConfigMap" : "Secret";
    const reference = source.configMapRef ?? source.secretRef;
    if (!reference) continue;
    const object = await readSource(port, kind, namespace, reference.name);
    if (!object) {
      if (reference.optional) continue;
      throw invalid(`${kind.toLowerCase()} ${quote(reference.name)} not found`, { code: "CreateContainerConfigError" });
    }
    const data = kind === "Secret" ? decodedSecret(object) : { ...object.data };
    for (const [key, value] of Object.entries<string>(data)) values.set(`${source.prefix ?? ""}${key}`, value);
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    let value: string | undefined = variable.value === undefined ? "" : expand(variable.value, values);
    if (from?.configMapKeyRef) value = await keyOf(port, "ConfigMap", namespace, from.configMapKeyRef.name, from.configMapKeyRef.key, !!from.configMapKeyRef.optional);
    else if (from?.secretKeyRef) value = await keyOf(port, "Secret", namespace, from.secretKeyRef.name, from.secretKeyRef.key, !!from.secretKeyRef.optional);
    else if (from?.fieldRef) value = podField(pod, from.fieldRef.fieldPath, facts);
    else if (from?.resourceFieldRef) value = resourceField(pod, from.resourceFieldRef, container.name);
    if (value !== undefined) values.set(variable.name, value);
  }
  return [...values].map(([key, value]) => `${key}=${value}`);
}

function readSource(port: AgentPort, kind: "ConfigMap" | "Secret", namespace: string, name: string): Promise<Secret | ConfigMap | undefined> {
  return kind === "Secret" ? port.secret(namespace, name) : port.configMap(namespace, name);
}

/** Expands $(NAME) from earlier variables; $$ escapes; unknown references stay as written. */
function expand(text: string, values: Map<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === "$$") return "$";
    return values.has(name!) ? values.get(name!)! : match;
  });
}
