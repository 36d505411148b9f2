import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mountsBelow, parseMountinfo, unescapeMountinfo } from "./mod.js";

const table = [
  "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
  "40 22 0:35 / /tmp/with\\040space rw,relatime shared:20 - tmpfs tmpfs rw",
  "41 40 0:36 / /tmp/with\\040space/tab\\011new\\012line\\134back rw - fuse.moor moor\\040source rw,user_id=0",
  "42 22 0:37 /sub/dir /tmp/bound rw master:3 - ext4 /dev/sda1 rw",
  "43 22 0:38 / /tmp/with\\040spaceless rw - tmpfs tmpfs rw",
  "",
].join("\n");

describe("hostmounts", () => {
  it("unescapeMountinfo() turns the kernel's \\040 \\011 \\012 \\134 back into space, tab, newline and backslash", () => {
    assert.equal(unescapeMountinfo("a\\040b\\011c\\012d\\134e"), "a b\tc\nd\\e");
    assert.equal(unescapeMountinfo("\\134040"), "\\040", "an escaped backslash before digits stays a backslash");
  });

  it("parseMountinfo() reads mount point, type, source and root, with optional fields and escapes", () => {
    const mounts = parseMountinfo(table);
    assert.equal(mounts.length, 5);
    assert.deepEqual(mounts[2], { device: "0:36", root: "/", mountPoint: "/tmp/with space/tab\tnew\nline\\back", fsType: "fuse.moor", source: "moor source" });
    assert.equal(mounts[3]!.root, "/sub/dir");
    assert.equal(mounts[3]!.fsType, "ext4");
  });

  it("mountsBelow() lists mounts strictly below a directory, never a sibling sharing its prefix", () => {
    const below = mountsBelow(parseMountinfo(table), "/tmp/with space").map((entry) => entry.mountPoint);
    assert.deepEqual(below, ["/tmp/with space/tab\tnew\nline\\back"]);
  });
});
