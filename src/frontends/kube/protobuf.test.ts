import assert from "node:assert/strict";
import { it } from "node:test";
import { decodeProtobufBody } from "./_protobuf.js";

// A tiny encoder for the test's messages: length-delimited fields and varints.
const varint = (value: number): Buffer => {
  const bytes: number[] = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return Buffer.from(bytes);
};
const bytes = (field: number, payload: Buffer | string) => {
  const data = typeof payload === "string" ? Buffer.from(payload) : payload;
  return Buffer.concat([varint((field << 3) | 2), varint(data.length), data]);
};
const number = (field: number, value: number) => Buffer.concat([varint(field << 3), varint(value)]);
const entry = (field: number, key: string, value: Buffer | string) => bytes(field, Buffer.concat([bytes(1, key), bytes(2, value)]));
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0]), bytes(1, Buffer.concat([bytes(1, apiVersion), bytes(2, kind)])), bytes(2, raw)]);

it("decodeProtobufBody() reads a ConfigMap as kubectl create configmap sends it", () => {
  const metadata = Buffer.concat([bytes(1, "settings"), bytes(2, ""), entry(11, "app", "web")]);
  const raw = Buffer.concat([bytes(1, metadata), entry(2, "mode", "fast"), entry(3, "blob", Buffer.from([0, 1, 2]))]);
  assert.deepEqual(decodeProtobufBody(envelope("v1", "ConfigMap", raw)), {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings", labels: { app: "web" } },
    data: { mode: "fast" },
    binaryData: { blob: "AAEC" },
  });
});

it("decodeProtobufBody() keeps pointer zeros, reads int-or-string values and nested pod templates", () => {
  const container = Buffer.concat([bytes(1, "main"), bytes(2, "busybox"), bytes(3, "sleep"), bytes(3, "10")]);
  const template = bytes(3, bytes(2, Buffer.concat([bytes(2, container), bytes(3, "Always")])));
  const surge = bytes(2, Buffer.concat([number(1, 1), bytes(3, "25%")]));
  const spec = Buffer.concat([number(1, 0), template, bytes(4, Buffer.concat([bytes(1, "RollingUpdate"), bytes(2, surge)]))]);
  const decoded: any = decodeProtobufBody(envelope("apps/v1", "Deployment", Buffer.concat([bytes(1, bytes(1, "web")), bytes(2, spec)])));
  assert.equal(decoded.spec.replicas, 0, "replicas: 0 is meaningful and kept");
  assert.deepEqual(decoded.spec.template.spec.containers, [{ name: "main", image: "busybox", command: ["sleep", "10"] }]);
  assert.equal(decoded.spec.template.spec.restartPolicy, "Always");
  assert.deepEqual(decoded.spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%" } });
});

it("decodeProtobufBody() refuses a body without the k8s envelope or with a truncated field", () => {
  assert.throws(() => decodeProtobufBody(Buffer.from("{}")), /malformed/);
  assert.throws(() => decodeProtobufBody(Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0]), Buffer.from([0x12, 0x7f, 0x01])])), /malformed/);
});
