import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Access,
  effectiveCredentials,
  effectiveNewMode,
  mayAccess,
  mayChangeOwner,
  mayDeleteFrom,
  mayHardLink,
  maySetTimes,
  modeAfterWrite,
  newFileMode,
  newFileOwner,
  onlyClearsSetIdBits,
  parseStatusGroups,
  type Credentials,
} from "./_permissions.js";

const noGroups = () => [] as number[];
const user: Credentials = { uid: 1000, gid: 1000, groups: [] };
const root: Credentials = { uid: 0, gid: 0, groups: [] };

describe("effectiveCredentials()", () => {
  it("replaces the caller with the access point's identity", () => {
    const rules = { identity: { uid: 1000, gid: 1001, secondaryGids: [5] } };
    assert.deepEqual(effectiveCredentials(rules, 0, 0), { uid: 1000, gid: 1001, groups: [5] });
  });

  it("keeps the caller without an identity, groups to be looked up", () => {
    assert.deepEqual(effectiveCredentials({}, 2000, 2001), { uid: 2000, gid: 2001, groups: undefined });
  });

  it("squashes uid 0 to 65534/65534 without root access, caller or identity", () => {
    assert.deepEqual(effectiveCredentials({ squashRoot: true }, 0, 0), { uid: 65534, gid: 65534, groups: [] });
    const rules = { squashRoot: true, identity: { uid: 0, gid: 0, secondaryGids: [] } };
    assert.deepEqual(effectiveCredentials(rules, 1000, 1000), { uid: 65534, gid: 65534, groups: [] });
  });

  it("squashes gid 0 of a non-root caller and leaves other callers alone", () => {
    assert.deepEqual(effectiveCredentials({ squashRoot: true }, 1000, 0), { uid: 1000, gid: 65534, groups: undefined });
    assert.deepEqual(effectiveCredentials({ squashRoot: true }, 1000, 1000), { uid: 1000, gid: 1000, groups: undefined });
  });
});

describe("mayAccess()", () => {
  it("uses exactly one class: owner, then group, then other", () => {
    const file = { uid: 1000, gid: 1000, mode: 0o100070 };
    assert.equal(mayAccess(user, file, Access.read, noGroups), false, "the owner class denies though the group allows");
    assert.equal(mayAccess({ uid: 2000, gid: 1000, groups: [] }, file, Access.read, noGroups), true);
    assert.equal(mayAccess({ uid: 2000, gid: 2000, groups: [] }, file, Access.read, noGroups), false);
  });

  it("counts supplementary groups, looked up only when needed", () => {
    const file = { uid: 0, gid: 3000, mode: 0o100640 };
    let lookups = 0;
    const groups = () => {
      lookups += 1;
      return [3000];
    };
    assert.equal(mayAccess({ uid: 1000, gid: 1000, groups: undefined }, file, Access.read, groups), true);
    assert.equal(mayAccess({ uid: 0, gid: 0, groups: undefined }, file, Access.read, groups), true);
    assert.equal(lookups, 1);
  });

  it("lets root read and write anything but execute only files with an x bit", () => {
    assert.equal(mayAccess(root, { uid: 5, gid: 5, mode: 0o100000 }, Access.read | Access.write, noGroups), true);
    assert.equal(mayAccess(root, { uid: 5, gid: 5, mode: 0o100600 }, Access.execute, noGroups), false);
    assert.equal(mayAccess(root, { uid: 5, gid: 5, mode: 0o100001 }, Access.execute, noGroups), true);
    assert.equal(mayAccess(root, { uid: 5, gid: 5, mode: 0o040000 }, Access.execute, noGroups), true);
  });
});

describe("ownership rules", () => {
  it("mayChangeOwner() lets only root give a file away", () => {
    const file = { uid: 1000, gid: 1000, mode: 0o100644 };
    assert.equal(mayChangeOwner(user, file, 2000, undefined, noGroups), false);
    assert.equal(mayChangeOwner(user, file, 1000, undefined, noGroups), true);
    assert.equal(mayChangeOwner(root, file, 2000, 2000, noGroups), true);
  });

  it("mayChangeOwner() lets the owner pick only a group it is in", () => {
    const file = { uid: 1000, gid: 1000, mode: 0o100644 };
    assert.equal(mayChangeOwner(user, file, undefined, 3000, noGroups), false);
    assert.equal(mayChangeOwner({ uid: 1000, gid: 1000, groups: undefined }, file, undefined, 3000, () => [3000]), true);
    assert.equal(mayChangeOwner({ uid: 2000, gid: 1000, groups: [] }, file, undefined, 1000, noGroups), false);
  });

  it("newFileOwner() takes the group of a set-group-id directory", () => {
    assert.deepEqual(newFileOwner(user, { uid: 0, gid: 50, mode: 0o042775 }), { uid: 1000, gid: 50 });
    assert.deepEqual(newFileOwner(user, { uid: 0, gid: 50, mode: 0o040777 }), { uid: 1000, gid: 1000 });
  });

  it("newFileMode() and effectiveNewMode() drop a set-group-id bit the caller could not set", () => {
    assert.equal(newFileMode(user, { gid: 50 }, 0o102755, noGroups), 0o100755);
    assert.equal(newFileMode(user, { gid: 1000 }, 0o102755, noGroups), 0o102755);
    assert.equal(effectiveNewMode(user, { uid: 1000, gid: 50, mode: 0o100644 }, 0o2755, noGroups), 0o755);
    assert.equal(effectiveNewMode(root, { uid: 1000, gid: 50, mode: 0o100644 }, 0o2755, noGroups), 0o2755);
  });
});

describe("other rules", () => {
  it("mayDeleteFrom() applies the sticky bit: owner of the file or the directory, or root", () => {
    const sticky = { uid: 0, gid: 0, mode: 0o041777 };
    assert.equal(mayDeleteFrom(user, sticky, { uid: 2000, gid: 0, mode: 0o100644 }), false);
    assert.equal(mayDeleteFrom(user, sticky, { uid: 1000, gid: 0, mode: 0o100644 }), true);
    assert.equal(mayDeleteFrom(user, { uid: 0, gid: 0, mode: 0o040777 }, { uid: 2000, gid: 0, mode: 0o100644 }), true);
  });

  it("maySetTimes() allows 'now' to writers and explicit times to the owner only", () => {
    const writable = { uid: 0, gid: 0, mode: 0o100666 };
    assert.equal(maySetTimes(user, writable, true, noGroups), true);
    assert.equal(maySetTimes(user, writable, false, noGroups), false);
    assert.equal(maySetTimes(user, { uid: 0, gid: 0, mode: 0o100644 }, true, noGroups), false);
  });

  it("mayHardLink() follows fs.protected_hardlinks", () => {
    assert.equal(mayHardLink(user, { uid: 0, gid: 0, mode: 0o100644 }, noGroups), false);
    assert.equal(mayHardLink(user, { uid: 0, gid: 0, mode: 0o100666 }, noGroups), true);
    assert.equal(mayHardLink(user, { uid: 0, gid: 0, mode: 0o104666 }, noGroups), false);
    assert.equal(mayHardLink(user, { uid: 1000, gid: 0, mode: 0o100000 }, noGroups), true);
  });

  it("modeAfterWrite() drops set-id bits for non-root writers only", () => {
    assert.equal(modeAfterWrite(user, 0o104755), 0o755);
    assert.equal(modeAfterWrite(user, 0o102755), 0o755);
    assert.equal(modeAfterWrite(user, 0o102745), undefined, "set-group-id without group execute is a lock marker");
    assert.equal(modeAfterWrite(root, 0o104755), undefined);
    assert.equal(onlyClearsSetIdBits({ uid: 0, gid: 0, mode: 0o104755 }, 0o755), true);
    assert.equal(onlyClearsSetIdBits({ uid: 0, gid: 0, mode: 0o104755 }, 0o777), false);
  });

  it("parseStatusGroups() reads the Groups line of /proc/<pid>/status", () => {
    assert.deepEqual(parseStatusGroups("Name:\tsh\nGroups:\t4 24 1000 \nNSpid:\t1\n"), [4, 24, 1000]);
    assert.deepEqual(parseStatusGroups("Groups:\t\n"), []);
  });
});
