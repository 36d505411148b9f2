import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fargateSize, podRequest } from "./mod.js";

const container = (cpu?: string, memory?: string) => ({
  resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
});

describe("fargateSize()", () => {
  it("rounds 1 vCPU and 8 GB up to 2 vCPU / 9 GB, as the EKS guide's example says", () => {
    assert.equal(fargateSize({ containers: [container("1", "8Gi")] })?.annotation, "2vCPU 9GB");
  });

  it("gives a pod without requests the smallest size, 0.25 vCPU / 0.5 GB", () => {
    const size = fargateSize({ containers: [{}] });
    assert.deepEqual(size, { cpuMillis: 250, memoryMiB: 512, annotation: "0.25vCPU 0.5GB" });
  });

  it("adds 256 MB before rounding up, so 256Mi of requests needs 0.5 GB and 257Mi needs 1 GB", () => {
    assert.equal(fargateSize({ containers: [container(undefined, "256Mi")] })?.annotation, "0.25vCPU 0.5GB");
    assert.equal(fargateSize({ containers: [container(undefined, "257Mi")] })?.annotation, "0.25vCPU 1GB");
  });

  it("sums app containers but takes only the largest init container", () => {
    const spec = {
      initContainers: [container("2", "1Gi"), container("500m", "6Gi")],
      containers: [container("250m", "1Gi"), container("250m", "1Gi")],
    };
    assert.deepEqual(podRequest(spec), { cpuMillis: 2000, memoryBytes: 6 * 1024 ** 3 });
    assert.equal(fargateSize(spec)?.annotation, "2vCPU 7GB");
  });

  it("moves to the next vCPU row when the memory needs it (0.25 vCPU + 3 GB becomes 0.5 vCPU / 4 GB)", () => {
    assert.equal(fargateSize({ containers: [container("250m", "3Gi")] })?.annotation, "0.5vCPU 4GB");
  });

  it("steps 8 vCPU memory by 4 GB (8 vCPU + 17 GB becomes 8 vCPU / 20 GB)", () => {
    assert.equal(fargateSize({ containers: [container("8", "17Gi")] })?.annotation, "8vCPU 20GB");
  });

  it("uses a container's limit when it sets no request", () => {
    const spec = { containers: [{ resources: { limits: { cpu: "1", memory: "2Gi" } } }] };
    assert.equal(fargateSize(spec)?.annotation, "1vCPU 3GB");
  });

  it("refuses a malformed quantity by naming it", () => {
    assert.throws(() => fargateSize({ containers: [container("two")] }), /cpu quantity "two" is malformed/);
  });

  it("finds no size for more than 16 vCPU or 120 GB", () => {
    assert.equal(fargateSize({ containers: [container("17", "1Gi")] }), undefined);
    assert.equal(fargateSize({ containers: [container("1", "120Gi")] }), undefined);
  });
});

