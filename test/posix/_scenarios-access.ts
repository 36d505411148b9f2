// Scenarios on metadata and access: chmod, chown, utimens, permission errors as the identity,
// extended attributes, and flock and fcntl locks held through one mount and seen through another.

import { accessSync, chmodSync, chownSync, constants, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { attempt, python, summary, tool, type Scenario } from "./_tools.js";

export const accessScenarios: Record<string, Scenario> = {
  "chmod by the owner, refused to others": ({ a, fixtures }) => {
    writeFileSync(join(a, "f"), "f");
    chmodSync(join(a, "f"), 0o600);
    const privateMode = summary(join(a, "f"));
    chmodSync(join(a, "f"), 0o2755);
    const setGid = summary(join(a, "f"));
    mkdirSync(join(a, "d"));
    chmodSync(join(a, "d"), 0o1777);
    return { privateMode, setGid, sticky: summary(join(a, "d")), foreign: attempt(() => chmodSync(join(fixtures, "root-file"), 0o777)) };
  },

  "chown is restricted": ({ a, fixtures }) => {
    writeFileSync(join(a, "f"), "f");
    return {
      toSelf: attempt(() => chownSync(join(a, "f"), 1000, -1)) ?? "ok",
      giveAway: attempt(() => chownSync(join(a, "f"), 2000, -1)),
      ownGroup: attempt(() => chownSync(join(a, "f"), -1, 1000)) ?? "ok",
      foreignGroup: attempt(() => chownSync(join(a, "f"), -1, 3000)),
      foreignFile: attempt(() => chownSync(join(fixtures, "root-file"), 1000, 1000)),
      after: summary(join(a, "f")),
    };
  },

  "utimens with nanoseconds and its permissions": ({ a, fixtures }) =>
    python(
      `import os, sys, json, errno
a, fixtures = sys.argv[1], sys.argv[2]
p = os.path.join(a, "f")
open(p, "w").close()
out = {}
out["explicit"] = attempt(lambda: os.utime(p, ns=(1_000_000_123, 1_500_000_000_456_789_012)))
st = os.stat(p)
out["atime"] = st.st_atime_ns
out["mtime"] = st.st_mtime_ns
out["mtimeOnly"] = attempt(lambda: os.utime(p, ns=(st.st_atime_ns, 1_600_000_000_000_000_001)))
out["mtimeAfter"] = os.stat(p).st_mtime_ns
out["foreignNow"] = attempt(lambda: os.utime(os.path.join(fixtures, "root-file")))
out["foreignExplicit"] = attempt(lambda: os.utime(os.path.join(fixtures, "world-writable"), ns=(1, 1)))
out["writableNow"] = attempt(lambda: os.utime(os.path.join(fixtures, "world-writable")))
print(json.dumps(out))`,
      a,
      fixtures,
    ),

  // What tar does for every file it writes; the daemon acts on the open descriptor here, and the
  // permission checks must stay those of the path forms above.
  "times, mode and size changed through an open file": ({ a, fixtures }) =>
    python(
      `import os, sys, json, errno
a, fixtures = sys.argv[1], sys.argv[2]
out = {}
p = os.path.join(a, "opened")
fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
os.write(fd, b"x" * 1024)
out["ftruncate"] = attempt(lambda: os.ftruncate(fd, 10))
out["fchmod"] = attempt(lambda: os.fchmod(fd, 0o600))
out["futimens"] = attempt(lambda: os.utime(fd, ns=(1_000_000_123, 1_600_000_000_000_000_001)))
out["xattr"] = attempt(lambda: os.getxattr(p, "user.absent"))
st = os.fstat(fd)
out["open"] = [st.st_size, oct(st.st_mode), st.st_atime_ns, st.st_mtime_ns]
os.close(fd)
st = os.stat(p)
out["closed"] = [st.st_size, oct(st.st_mode), st.st_atime_ns, st.st_mtime_ns]
fd = os.open(os.path.join(fixtures, "world-writable"), os.O_WRONLY)
out["foreignExplicit"] = attempt(lambda: os.utime(fd, ns=(1, 1)))
out["foreignChmod"] = attempt(lambda: os.fchmod(fd, 0o600))
out["foreignNow"] = attempt(lambda: os.utime(fd))
os.close(fd)
print(json.dumps(out))`,
      a,
      fixtures,
    ),

  "permission errors as the identity": ({ a, fixtures }) => ({
    readPrivate: attempt(() => readFileSync(join(fixtures, "root-private"), "utf8")),
    readPublic: attempt(() => readFileSync(join(fixtures, "root-file"), "utf8")),
    writePublic: attempt(() => writeFileSync(join(fixtures, "root-file"), "x")),
    writeWorldWritable: attempt(() => writeFileSync(join(fixtures, "world-writable"), "yy")) ?? "ok",
    readGroup: attempt(() => readFileSync(join(fixtures, "group-file"), "utf8")),
    readOtherGroup: attempt(() => readFileSync(join(fixtures, "other-group-file"), "utf8")),
    createInRootDirectory: attempt(() => writeFileSync(join(fixtures, "root-dir/new"), "n")),
    unlinkInRootDirectory: attempt(() => unlinkSync(join(fixtures, "root-dir/inner"))),
    unlinkOthersInSticky: attempt(() => unlinkSync(join(fixtures, "sticky/others"))),
    createInSticky: attempt(() => writeFileSync(join(fixtures, "sticky/mine"), "m")) ?? "ok",
    unlinkOwnInSticky: attempt(() => unlinkSync(join(fixtures, "sticky/mine"))) ?? "ok",
    listUnsearchable: attempt(() => readdirSync(join(fixtures, "unsearchable"))),
    statThroughUnsearchable: attempt(() => statSync(join(fixtures, "unsearchable/hidden")).size),
    accessWrite: attempt(() => accessSync(join(fixtures, "root-file"), constants.W_OK)),
    accessRead: attempt(() => accessSync(join(fixtures, "root-file"), constants.R_OK)) ?? "ok",
    openDirectoryForWriting: attempt(() => openSync(a, "w")),
    mkdirInRootDirectory: attempt(() => mkdirSync(join(fixtures, "root-dir/sub"))),
  }),

  "extended attributes with setfattr and getfattr": ({ a, fixtures }) => {
    const path = join(a, "f");
    writeFileSync(path, "f");
    const set = tool("setfattr", ["-n", "user.color", "-v", "blue", path]);
    const second = tool("setfattr", ["-n", "user.size", "-v", "0x0102ff", path]);
    const get = tool("getfattr", ["--only-values", "-n", "user.color", path]);
    const dump = tool("getfattr", ["-d", "-e", "hex", path]);
    const removed = tool("setfattr", ["-x", "user.color", path]);
    const missing = tool("getfattr", ["-n", "user.color", path]);
    const trusted = tool("setfattr", ["-n", "trusted.secret", "-v", "1", path]);
    const foreign = tool("setfattr", ["-n", "user.x", "-v", "1", join(fixtures, "root-file")]);
    return {
      set: set.status,
      second: second.status,
      value: get.stdout,
      dump: dump.stdout,
      removed: removed.status,
      missing: [missing.status, missing.stderr],
      trusted: [trusted.status, trusted.stderr],
      foreign: [foreign.status, foreign.stderr],
    };
  },

  "flock locks are seen across mounts": ({ a, b }) => {
    writeFileSync(join(a, "lock"), "");
    return python(
      `import fcntl, os, sys, json, errno, subprocess
a, b = sys.argv[1], sys.argv[2]
out = {}
fa = os.open(a, os.O_RDWR)
fb = os.open(b, os.O_RDWR)
out["holdA"] = attempt(lambda: fcntl.flock(fa, fcntl.LOCK_EX | fcntl.LOCK_NB))
out["exclusiveB"] = attempt(lambda: fcntl.flock(fb, fcntl.LOCK_EX | fcntl.LOCK_NB))
out["sharedB"] = attempt(lambda: fcntl.flock(fb, fcntl.LOCK_SH | fcntl.LOCK_NB))
out["toolB"] = subprocess.run(["flock", "-n", b, "true"]).returncode
fcntl.flock(fa, fcntl.LOCK_UN)
out["afterUnlockB"] = attempt(lambda: fcntl.flock(fb, fcntl.LOCK_SH | fcntl.LOCK_NB))
out["sharedA"] = attempt(lambda: fcntl.flock(fa, fcntl.LOCK_SH | fcntl.LOCK_NB))
out["exclusiveTool"] = subprocess.run(["flock", "-n", "-x", a, "true"]).returncode
out["sharedTool"] = subprocess.run(["flock", "-n", "-s", a, "true"]).returncode
os.close(fb)
out["afterCloseTool"] = subprocess.run(["flock", "-n", "-x", b, "true"]).returncode
os.close(fa)
out["allClosedTool"] = subprocess.run(["flock", "-n", "-x", b, "true"]).returncode
print(json.dumps(out))`,
      join(a, "lock"),
      join(b, "lock"),
    );
  },

  "fcntl record locks are seen across mounts": ({ a, b }) => {
    writeFileSync(join(a, "records"), "x".repeat(1000));
    return python(
      `import fcntl, os, sys, json, errno, struct
a, b = sys.argv[1], sys.argv[2]
def child(task):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.write(w, json.dumps(task()).encode())
        os._exit(0)
    os.close(w)
    os.waitpid(pid, 0)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    return json.loads(data)
holder = os.getpid()
fa = os.open(a, os.O_RDWR)
fcntl.lockf(fa, fcntl.LOCK_EX | fcntl.LOCK_NB, 100, 0)
def probe():
    fb = os.open(b, os.O_RDWR)
    out = {}
    out["overlapping"] = attempt(lambda: fcntl.lockf(fb, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 50))
    out["readOverlapping"] = attempt(lambda: fcntl.lockf(fb, fcntl.LOCK_SH | fcntl.LOCK_NB, 10, 50))
    out["disjoint"] = attempt(lambda: fcntl.lockf(fb, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 200))
    raw = fcntl.fcntl(fb, fcntl.F_GETLK, struct.pack("hhqqi", fcntl.F_WRLCK, 0, 50, 10, 0))
    kind, _, start, length, pid = struct.unpack("hhqqi", raw[:struct.calcsize("hhqqi")])
    out["getlk"] = {"type": kind, "start": start, "length": length}
    out["holderPid"] = pid == holder
    return out
first = child(probe)
other = os.open(a, os.O_RDONLY)
os.close(other)
second = child(lambda: {"afterHolderClosedAnyDescriptor": attempt(lambda: fcntl.lockf(os.open(b, os.O_RDWR), fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 50))})
print(json.dumps({"first": first, "second": second}))`,
      join(a, "records"),
      join(b, "records"),
    );
  },
};
