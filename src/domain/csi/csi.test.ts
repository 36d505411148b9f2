import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accessPointRootPath, lowestFreeGid, mountSettings, parseProvisioningParameters, parseVolumeHandle, readCsiVolume, type ProvisioningParameters } from "./mod.js";

describe("parseVolumeHandle()", () => {
  it("reads every form the driver accepts, with or without the efs: prefix", () => {
    assert.deepEqual(parseVolumeHandle("fs-0123456789abcdef0"), { fileSystemId: "fs-0123456789abcdef0", subPath: "/" });
    assert.deepEqual(parseVolumeHandle("efs:fs-0123456789abcdef0:/a/../b/"), { fileSystemId: "fs-0123456789abcdef0", subPath: "/b" });
    assert.deepEqual(parseVolumeHandle("fs-0123456789abcdef0::fsap-0123456789abcdef0"), {
      fileSystemId: "fs-0123456789abcdef0",
      subPath: "/",
      accessPointId: "fsap-0123456789abcdef0",
    });
    assert.deepEqual(parseVolumeHandle("efs:fs-0123456789abcdef0:/sub:fsap-0123456789abcdef0"), {
      fileSystemId: "fs-0123456789abcdef0",
      subPath: "/sub",
      accessPointId: "fsap-0123456789abcdef0",
    });
  });

  it("refuses bad ids and too many fields with the handle in the message", () => {
    assert.match((parseVolumeHandle("vol-123") as { error: string }).error, /"vol-123" is not a file system id/);
    assert.match((parseVolumeHandle("fs-0123456789abcdef0::ap-1") as { error: string }).error, /"ap-1" is not an access point id/);
    assert.match((parseVolumeHandle("fs-0123456789abcdef0:/a:fsap-0123456789abcdef0:x") as { error: string }).error, /has 4 fields/);
  });
});

describe("readCsiVolume()", () => {
  it("parses the handle once and mounts an access point with tls, as the driver does", () => {
    const volume = readCsiVolume({ driver: "efs.csi.aws.com", volumeHandle: "efs:fs-0123456789abcdef0::fsap-0123456789abcdef0" }, ["iam"]);
    assert.deepEqual(volume, {
      handle: "efs:fs-0123456789abcdef0::fsap-0123456789abcdef0",
      target: { fileSystemId: "fs-0123456789abcdef0", subPath: "/", accessPointId: "fsap-0123456789abcdef0" },
      settings: { tls: true, iam: true, readOnly: false },
    });
    const plain = readCsiVolume({ driver: "efs.csi.aws.com", volumeHandle: "fs-0123456789abcdef0", volumeAttributes: { encryptInTransit: "false" } });
    assert.deepEqual(plain, { handle: "fs-0123456789abcdef0", target: { fileSystemId: "fs-0123456789abcdef0", subPath: "/" }, settings: { tls: false, iam: false, readOnly: false } });
  });

  it("answers a bad handle or attribute with the driver's message instead of throwing", () => {
    assert.match((readCsiVolume({ driver: "efs.csi.aws.com", volumeHandle: "vol-1" }) as { error: string }).error, /"vol-1" is not a file system id/);
    assert.match((readCsiVolume({ driver: "efs.csi.aws.com", volumeHandle: "fs-0123456789abcdef0", volumeAttributes: { color: "red" } }) as { error: string }).error, /property color not supported/);
  });
});

describe("mountSettings()", () => {
  it("defaults to TLS, honours iam and ro, and refuses unknown attributes", () => {
    assert.deepEqual(mountSettings({}, ["iam", "ro"]), { tls: true, iam: true, readOnly: true });
    assert.deepEqual(mountSettings({ encryptInTransit: "false" }, []), { tls: false, iam: false, readOnly: false });
    assert.deepEqual(mountSettings({ encryptInTransit: "false" }, [], true), { tls: true, iam: false, readOnly: false });
    assert.deepEqual(mountSettings({ path: "/x" }), { error: "Volume context property path not supported" });
    assert.match((mountSettings({ encryptInTransit: "false" }, ["tls"]) as { error: string }).error, /encryptInTransit is false/);
  });
});

describe("parseProvisioningParameters()", () => {
  it("applies the driver's defaults", () => {
    const parsed = parseProvisioningParameters({ provisioningMode: "efs-ap", fileSystemId: "fs-0123456789abcdef0", directoryPerms: "700" }) as ProvisioningParameters;
    assert.equal(parsed.gidRangeStart, 50000);
    assert.equal(parsed.gidRangeEnd, 60000);
    assert.equal(parsed.ensureUniqueDirectory, true);
    assert.equal(parsed.reuseAccessPoint, false);
  });

  it("refuses a missing mode, half a range, an inverted range and unknown pattern variables", () => {
    assert.deepEqual(parseProvisioningParameters({ fileSystemId: "fs-1" }), { error: "Missing provisioningMode parameter" });
    const base = { provisioningMode: "efs-ap", fileSystemId: "fs-0123456789abcdef0" };
    assert.match((parseProvisioningParameters({ ...base, gidRangeStart: "100" }) as { error: string }).error, /given together/);
    assert.match((parseProvisioningParameters({ ...base, gidRangeStart: "100", gidRangeEnd: "50" }) as { error: string }).error, /must be greater/);
    assert.match((parseProvisioningParameters({ ...base, subPathPattern: "${.PVC.labels}" }) as { error: string }).error, /is not one of/);
  });

  it("caps a range at start + 10,000", () => {
    const parsed = parseProvisioningParameters({ provisioningMode: "efs-ap", fileSystemId: "fs-1", gidRangeStart: "1000", gidRangeEnd: "900000" }) as ProvisioningParameters;
    assert.equal(parsed.gidRangeEnd, 11000);
  });
});

describe("lowestFreeGid()", () => {
  it("returns the lowest unused GID and undefined when the range is full", () => {
    assert.equal(lowestFreeGid({ gidRangeStart: 10, gidRangeEnd: 13 }, [10, 12]), 11);
    assert.equal(lowestFreeGid({ gidRangeStart: 10, gidRangeEnd: 11 }, [10, 11]), undefined);
  });
});

describe("accessPointRootPath()", () => {
  const parameters = parseProvisioningParameters({ provisioningMode: "efs-ap", fileSystemId: "fs-1", basePath: "/dynamic" }) as ProvisioningParameters;
  const input = { pvName: "pvc-1234", pvcName: "data", pvcNamespace: "shop", unique: "u1" };

  it("names the directory after the PV unless a pattern says otherwise", () => {
    assert.equal(accessPointRootPath(parameters, input), "/dynamic/pvc-1234");
    assert.equal(accessPointRootPath({ ...parameters, subPathPattern: "${.PVC.namespace}/${.PVC.name}" }, input), "/dynamic/shop/data-u1");
    assert.equal(accessPointRootPath({ ...parameters, subPathPattern: "${.PVC.name}", ensureUniqueDirectory: false }, input), "/dynamic/data");
  });

  it("refuses paths EFS would refuse", () => {
    assert.match((accessPointRootPath({ ...parameters, basePath: "/a/b/c/d" }, input) as { error: string }).error, /more than 4 components/);
  });
});
