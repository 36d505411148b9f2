// parseClientMount() and clientMountFailure(): an instance's `mount -t nfs|nfs4|efs` read as
// mount.nfs and efs-utils' mount.efs read it, and their refusals in their words.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clientMountFailure, type ClientMount, parseClientMount } from "./mod.js";

const id = "fs-0123456789abcdef0";
const dns = `${id}.efs.us-east-1.amazonaws.com`;
const guideOptions = "rw,nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport";

describe("parseClientMount()", () => {
  it("reads the guide's NFS line: the file system from its DNS name, the path, no TLS, IAM or access point", () => {
    assert.deepEqual(parseClientMount("nfs", `${dns}:/`, guideOptions, "us-east-1"), { type: "nfs", program: "mount.nfs", server: dns, path: "/", tls: false, iam: false, readOnly: false, fileSystemId: id });
    assert.equal((parseClientMount("nfs4", `us-east-1b.${dns}:/data`, "ro", "us-east-1") as ClientMount).zoneName, "us-east-1b");
    assert.equal((parseClientMount("nfs4", "10.42.0.5:/", "", "us-east-1") as ClientMount).mountTargetAddress, "10.42.0.5");
  });

  it("reads efs-utils' form: an id alone or with a path, tls, iam and accesspoint", () => {
    const parsed = parseClientMount("efs", `${id}:/`, "tls,iam,accesspoint=fsap-0123456789abcdef0,_netdev", "us-east-1") as ClientMount;
    assert.deepEqual([parsed.fileSystemId, parsed.tls, parsed.iam, parsed.accessPointId, parsed.path], [id, true, true, "fsap-0123456789abcdef0", "/"]);
    assert.equal((parseClientMount("efs", id, "", "us-east-1") as ClientMount).path, "/");
  });

  it("refuses as the helpers do: a share not in host:dir form, a name that resolves nowhere, a bad option, iam or accesspoint without tls", () => {
    assert.deepEqual(parseClientMount("nfs", dns, "", "us-east-1"), { stderr: "mount.nfs: remote share not in 'host:dir' format", exitCode: 32 });
    assert.deepEqual(parseClientMount("nfs4", "files.example.com:/", "", "us-east-1"), { stderr: "mount.nfs4: Failed to resolve server files.example.com: Name or service not known", exitCode: 32 });
    assert.deepEqual(parseClientMount("nfs", `${id}.efs.eu-west-1.amazonaws.com:/`, "", "us-east-1"), { stderr: `mount.nfs: Failed to resolve server ${id}.efs.eu-west-1.amazonaws.com: Name or service not known`, exitCode: 32 });
    assert.deepEqual(parseClientMount("nfs", `${dns}:/`, "accesspoint=fsap-0123456789abcdef0", "us-east-1"), { stderr: "mount.nfs: an incorrect mount option was specified", exitCode: 32 });
    assert.deepEqual(parseClientMount("efs", id, "iam", "us-east-1"), { stderr: `The "iam" option requires the "tls" option.`, exitCode: 1 });
    assert.deepEqual(parseClientMount("efs", id, "accesspoint=fsap-0123456789abcdef0", "us-east-1"), { stderr: `The "tls" option is required when mounting via "accesspoint"`, exitCode: 1 });
  });
});

describe("clientMountFailure()", () => {
  it("words a denial and an unreachable mount target as mount.nfs4, a missing mount target as efs-utils, with Moor's reason after", () => {
    const efs = parseClientMount("efs", `${id}:/`, "tls", "us-east-1") as ClientMount;
    const nfs = parseClientMount("nfs", `${dns}:/`, "", "us-east-1") as ClientMount;
    assert.deepEqual(clientMountFailure(nfs, "us-east-1", "denied", "policy"), { stderr: `mount.nfs: access denied by server while mounting ${dns}:/\nmoor: policy`, exitCode: 32 });
    assert.deepEqual(clientMountFailure(efs, "us-east-1", "unreachable", ""), { stderr: "mount.nfs4: Connection timed out", exitCode: 32 });
    const missing = clientMountFailure(efs, "us-east-1", "unresolvable", "no mount target");
    assert.equal(missing.exitCode, 1);
    assert.match(missing.stderr, new RegExp(`^Failed to resolve "${dns.replaceAll(".", "\\.")}" - check that your file system ID is correct`));
  });
});
