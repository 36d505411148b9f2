// The model-driven AWS front end: finds the service a request is for, reads it with the
// service's protocol, calls the operation the service module registered, and writes the
// output or the error in that protocol's form. Errors it knows (the protocols' refusals, a
// service's MoorError, the HTTP core's RequestError) are rendered here; anything else reaches
// the HTTP core, which logs it and asks `internal` for a 500 in the same protocol's form.

import { isMoorError } from "../../../errors/mod.js";
import { type Exchange, isRequestError, readBody, sendAnswer, type WireAnswer } from "../../http/mod.js";
import type { OperationContext, ServiceModule } from "./mod.js";
import { credentialOf, Dispatcher } from "./_dispatch.js";
import { wireErrorOf } from "./_errors.js";
import { loadModel, type ProtocolName, type ServiceModel } from "./_model.js";
import { type Protocol, ProtocolError, type WireRequest } from "./_protocol.js";
import { ec2Protocol } from "./ec2.js";
import { jsonProtocol } from "./json.js";
import { queryProtocol } from "./query.js";
import { restJsonProtocol } from "./rest-json.js";

export const protocols: Record<ProtocolName, Protocol> = { query: queryProtocol, ec2: ec2Protocol, json: jsonProtocol, "rest-json": restJsonProtocol };

export interface ModelFrontEndOptions {
  modules: readonly ServiceModule[];
  /** The region operations see when a request is not signed. */
  region: string;
  accountId: string;
  bodyBytesMax: number;
  /** Where the extracted models are (dist/models by default). */
  modelsDirectory?: URL;
  /**
   * Services (botocore names) whose requests are answered, until a module serves them, with the
   * protocol's unknown-operation error naming the operation Moor does not implement, so a
   * client sees a refusal in its own protocol rather than another service's error.
   */
  refused?: readonly string[];
}

interface Entry {
  module: ServiceModule;
  model: ServiceModel;
  protocol: Protocol;
}

/** A claimed request: its service, or "form" when an unsigned form body's Version decides. */
export type Claim = Entry | "form";

export class ModelFrontEnd {
  readonly #options: ModelFrontEndOptions;
  readonly #dispatcher: Dispatcher<Entry>;
  /** The entry whose protocol answers an exchange's errors. */
  readonly #answering = new WeakMap<Exchange, Entry>();
  /** A query service to answer unsigned form requests whose Version no model has. */
  readonly #formFallback?: Entry;

  constructor(options: ModelFrontEndOptions) {
    this.#options = options;
    const served = new Set(options.modules.map((module) => module.name));
    const refused = (options.refused ?? []).filter((name) => !served.has(name)).map((name) => ({ name, operations: {} }));
    const entries = [...options.modules, ...refused].map((module) => {
      const model = loadModel(module.name, options.modelsDirectory);
      const protocol = protocols[model.protocol];
      if (!protocol) throw new Error(`Cannot serve ${JSON.stringify(module.name)}: its model's protocol ${JSON.stringify(model.protocol)} is not one Moor speaks`);
      return { module, model, protocol };
    });
    this.#dispatcher = new Dispatcher(entries);
    this.#formFallback = entries.find((entry) => entry.model.protocol === "query") ?? entries.find((entry) => entry.model.protocol === "ec2");
  }

  /** The service that answers this request, or undefined when no served model claims it. */
  claim(exchange: Exchange, url: URL): Claim | undefined {
    const { request } = exchange;
    return this.#dispatcher.find(request.method ?? "GET", url, request.headers, credentialOf(request.headers, url));
  }

  async serve(exchange: Exchange, claim: Claim, url: URL): Promise<void> {
    const { request, response, id } = exchange;
    let entry = claim === "form" ? this.#formFallback! : claim;
    this.#answering.set(exchange, entry);
    const body = await readBody(request, this.#options.bodyBytesMax);
    if (claim === "form") {
      const version = new URLSearchParams(body.toString("latin1")).get("Version") ?? "";
      const found = this.#dispatcher.byVersion(version);
      if (!found) throw new ProtocolError("InvalidAction", 400, `Cannot route request: no service Moor serves has API version ${JSON.stringify(version)}`);
      entry = found;
      this.#answering.set(exchange, entry);
    }
    const wire: WireRequest = { method: request.method ?? "GET", url, headers: request.headers, body };
    let invocation: ReturnType<Protocol["read"]>;
    try {
      invocation = entry.protocol.read(entry.model, wire);
    } catch (error) {
      // A service whose own refusal of a member is not the model's (ECR's repository names).
      throw (error instanceof ProtocolError && entry.module.refuse?.({ code: error.code, message: error.message })) || error;
    }
    const { operation, input } = invocation;
    const handle = entry.module.operations[operation.name];
    if (!handle) {
      const { code, status } = entry.protocol.codes.unknownOperation;
      throw new ProtocolError(code, status, `Cannot call ${operation.name}: Moor does not implement it for ${entry.model.signingName}`);
    }
    const credential = credentialOf(request.headers, url);
    const context: OperationContext = { region: credential?.region ?? this.#options.region, accountId: this.#options.accountId, requestId: id };
    if (credential) context.principal = credential.accessKeyId;
    const output = await handle(input, context);
    sendAnswer(response, entry.protocol.write(entry.model, operation, output, id));
  }

  /** The wire form of an error this front end knows, for a request it claimed. */
  render(error: unknown, exchange: Exchange | undefined): WireAnswer | undefined {
    const entry = exchange && this.#answering.get(exchange);
    if (!entry || !exchange) return undefined;
    const { model, protocol } = entry;
    if (error instanceof ProtocolError) return protocol.error(model, { code: error.code, status: error.status, message: error.message }, exchange.id);
    if (isMoorError(error)) return protocol.error(model, wireErrorOf(model, error), exchange.id);
    if (isRequestError(error)) {
      const status = error.problem === "BodyTooLarge" ? 400 : error.status;
      return protocol.error(model, { code: protocol.codes.malformed, status, message: error.message }, exchange.id);
    }
    return undefined;
  }

  /** A 500 in the claimed request's protocol, for a failure of Moor itself. */
  internal(exchange: Exchange | undefined): WireAnswer | undefined {
    const entry = exchange && this.#answering.get(exchange);
    if (!entry || !exchange) return undefined;
    const message = "Cannot complete the request: Moor failed internally; see its log";
    return entry.protocol.error(entry.model, { code: entry.protocol.codes.internal, status: 500, message }, exchange.id);
  }
}
