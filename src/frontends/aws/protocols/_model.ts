// A service model as botocore ships it (service-2.json), extracted at build time into
// dist/models/<service>.json by scripts/models.py, and the few questions the protocols ask of it:
// an operation by name, a shape by reference with its member traits merged (as botocore's
// resolver does), the wire status of an error code, and which request belongs to the service.

import { readFileSync } from "node:fs";

export type ShapeType = "structure" | "list" | "map" | "string" | "integer" | "long" | "float" | "double" | "boolean" | "timestamp" | "blob";

/** A reference to a shape, with the traits the referring member adds. */
export interface ShapeReference {
  shape: string;
  locationName?: string;
  queryName?: string;
  location?: "uri" | "querystring" | "header" | "headers" | "statusCode";
  flattened?: boolean;
  idempotencyToken?: boolean;
  resultWrapper?: string;
}

export interface Shape {
  type: ShapeType;
  members?: Record<string, ShapeReference>;
  required?: string[];
  member?: ShapeReference;
  key?: ShapeReference;
  value?: ShapeReference;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  flattened?: boolean;
  locationName?: string;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  exception?: boolean;
}

/** A shape with its referring member's traits laid over its own, as botocore resolves it. */
export interface ResolvedShape extends Shape {
  name: string;
  queryName?: string;
  location?: ShapeReference["location"];
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: ShapeReference;
  output?: ShapeReference;
  errors?: ShapeReference[];
}

export type ProtocolName = "query" | "ec2" | "json" | "rest-json";

export interface ModelDocument {
  metadata: {
    apiVersion: string;
    endpointPrefix: string;
    protocol: string;
    signingName?: string;
    targetPrefix?: string;
    jsonVersion?: string;
    xmlNamespace?: string;
    serviceId: string;
  };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

export class ServiceModel {
  readonly name: string;
  readonly document: ModelDocument;
  readonly #errorStatus = new Map<string, number>();

  constructor(name: string, document: ModelDocument) {
    this.name = name;
    this.document = document;
    for (const [shapeName, shape] of Object.entries(document.shapes)) {
      if (!shape.exception) continue;
      const status = shape.error?.httpStatusCode ?? 400;
      this.#errorStatus.set(shapeName, status);
      if (shape.error?.code) this.#errorStatus.set(shape.error.code, status);
    }
  }

  get protocol(): ProtocolName {
    return this.document.metadata.protocol as ProtocolName;
  }

  get apiVersion(): string {
    return this.document.metadata.apiVersion;
  }

  /** The SigV4 credential scope's service name clients sign with. */
  get signingName(): string {
    return this.document.metadata.signingName ?? this.document.metadata.endpointPrefix;
  }

  get targetPrefix(): string | undefined {
    return this.document.metadata.targetPrefix;
  }

  get xmlNamespace(): string {
    const namespace = this.document.metadata.xmlNamespace ?? `https://${this.document.metadata.endpointPrefix}.amazonaws.com/doc/${this.apiVersion}/`;
    return namespace.endsWith("/") ? namespace : `${namespace}/`;
  }

  operation(name: string): OperationModel | undefined {
    return Object.hasOwn(this.document.operations, name) ? this.document.operations[name] : undefined;
  }

  get operationNames(): string[] {
    return Object.keys(this.document.operations);
  }

  /** The shape a reference names, with the reference's traits over the shape's own. */
  resolve(reference: ShapeReference): ResolvedShape {
    const shape = this.document.shapes[reference.shape];
    if (!shape) throw new Error(`Cannot resolve shape ${JSON.stringify(reference.shape)}: model ${JSON.stringify(this.name)} has no such shape`);
    const { shape: name, ...traits } = reference;
    return { ...shape, ...traits, name };
  }

  /** Whether the model declares an error shape by this name or wire code. */
  hasError(code: string): boolean {
    return this.#errorStatus.has(code);
  }

  /** The HTTP status the model gives an error code, if it declares one. */
  errorStatus(code: string): number | undefined {
    return this.#errorStatus.get(code);
  }
}

/** Where the build step puts the models: dist/models beside dist/src. */
export const modelsDirectory = new URL("../../../../models/", import.meta.url);

/** Reads an extracted model; a missing one names the build step that makes it. */
export function loadModel(name: string, directory: URL = modelsDirectory): ServiceModel {
  const file = new URL(`${name}.json`, directory);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`Cannot load the AWS model of ${JSON.stringify(name)}: ${JSON.stringify(file.pathname)} is missing; run scripts/setup.sh (python3 scripts/models.py)`, { cause: error });
  }
  return new ServiceModel(name, JSON.parse(text) as ModelDocument);
}
