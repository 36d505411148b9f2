// The AWS wire protocols, driven by AWS's published service models (botocore's
// `service-2.json`, extracted into dist/models at build time): `query` (STS, IAM, RDS, ELBv2),
// `ec2`, `json` 1.1 (ECS) and `rest-json` (EKS, EFS). A protocol reads a request into the
// operation's input, validated against the model's input shape, calls the service's operation,
// and writes its output against the output shape; errors take the protocol's own wire form.
//
// THE SERVICE CONTRACT (what a service module under src/services/<name> exports; services do
// not import this file, the layers forbid it: they match these types structurally).
//
//   export const ec2Api = {
//     name: "ec2",                       // botocore's service name (data/<name>/...)
//     operations: {
//       DescribeVpcs: (input, context) => ({ Vpcs: [...] }),
//       CreateSecurityGroup: async (input, context) => ({ GroupId: "sg-1", ... }),
//     },
//   };
//
// - `input` is the parsed request as a plain object keyed by the model's member names (not the
//   wire names: `Description`, not `GroupDescription`; `VpcIds`, not `VpcId.1`). Lists are
//   arrays, structures objects, maps plain objects; integers/longs/floats/doubles are numbers,
//   booleans booleans, timestamps Date, blobs Buffer, strings strings. Members the request did
//   not send are absent. The protocol has already checked required members, types, enums,
//   lengths, ranges and patterns from the model, so an operation only checks its own rules.
// - `output` is a plain object keyed by the output shape's member names, typed likewise (Date
//   for timestamps). Undefined members are left out of the wire form. An operation whose
//   output shape is empty (or absent) may return undefined.
// - Errors are thrown as MoorError (src/errors) with `code` = the AWS error code as it goes on
//   the wire (the model's `error.code` for query/ec2, e.g. "NoSuchEntity", "InvalidGroup.NotFound";
//   the shape name for json/rest-json, e.g. "ResourceNotFoundException") and a message. The
//   protocol sends the HTTP status of the model's error shape with that code, else 400 (404 for
//   category NotFound, 409 for AlreadyExists/Conflict when the model says nothing). `details`
//   become extra members of a json/rest-json error body (e.g. `clusterName`). A MoorError with
//   no code gets the protocol's generic code for its category; anything else is a logged 500.
// - `context` is `{ region, accountId, requestId, principal? }`: the region from the request's
//   SigV4 credential scope (else Moor's configured region), the configured account, the id the
//   protocol sends back, and the caller's access key id when the request was signed.
//
// A service module is registered with the front end in src/cmd/_embedded.ts by passing it in
// `AwsServerOptions.modules`; the front end finds its model by `name` and dispatches requests
// to it by the SigV4 credential scope's service name, else the X-Amz-Target prefix, else the
// rest-json path.

/** Who is asking, and where: given to every operation. */
export interface OperationContext {
  /** The region the request was signed for (any region is accepted), else Moor's own. */
  region: string;
  /** The account Moor plays (12 digits). */
  accountId: string;
  /** The id sent back with the answer (RequestId / requestId / x-amzn-RequestId). */
  requestId: string;
  /** The access key id of the signature, when the request was signed. */
  principal?: string;
}

/** One operation: the input as the model's input shape, the output as its output shape. */
// `any`: each service types its own inputs; the protocol has checked them against the model.
export type Operation = (input: any, context: OperationContext) => unknown;

/** What a service module exports for the AWS front end. */
export interface ServiceModule {
  /** botocore's service name: "sts", "iam", "ec2", "eks", "ecs", "rds", "elbv2", "logs", "ecr", "efs". */
  name: string;
  /** Operations by the model's operation name ("DescribeVpcs"); absent ones are refused. */
  operations: Record<string, Operation>;
  /** The service's own error for a request the model refused, where AWS answers in the service's words; undefined keeps the protocol's. */
  refuse?(refusal: { code: string; message: string }): Error | undefined;
}

export { type Claim, ModelFrontEnd, type ModelFrontEndOptions, protocols } from "./_front-end.js";
export { loadModel, modelsDirectory, type OperationModel, type ProtocolName, type ResolvedShape, ServiceModel, type Shape, type ShapeReference } from "./_model.js";
export { type Invocation, type Protocol, ProtocolError, type WireError, type WireRequest } from "./_protocol.js";
