// Scenarios on which calls move which times, as pjdfstest checks them: each call's effect on the
// ctime and mtime of the file it names and of the directories it changes, and that a refused
// call moves nothing. Results are "changed" or "kept" per time, never values, so targets compare
// equal; a pause before each call lets even a coarse clock move.

import { python, type Scenario } from "./_tools.js";

export const timeScenarios: Record<string, Scenario> = {
  "which calls change ctime and mtime": ({ a, fixtures }) =>
    python(
      `import os, sys, json, time
a, fixtures = sys.argv[1], sys.argv[2]
os.chdir(a)
def times(p):
    st = os.lstat(p)
    return (st.st_ctime_ns, st.st_mtime_ns)
def effect(action, *paths):
    before = [times(p) for p in paths]
    time.sleep(0.02)
    outcome = attempt(action)
    after = [times(p) for p in paths]
    moved = []
    for (c0, m0), (c1, m1) in zip(before, after):
        moved.append(("ctime" if c1 != c0 else "-") + "/" + ("mtime" if m1 != m0 else "-"))
    return [outcome] + moved
def write(p, data):
    fd = os.open(p, os.O_WRONLY)
    os.write(fd, data)
    os.close(fd)
def create(p):
    os.close(os.open(p, os.O_CREAT | os.O_WRONLY, 0o644))
def truncate_open(p):
    os.close(os.open(p, os.O_WRONLY | os.O_TRUNC))
os.mkdir("d")
os.mkdir("e")
with open("d/f", "w") as f:
    f.write("0123456789")
out = {
    "chmod": effect(lambda: os.chmod("d/f", 0o600), "d/f", "d"),
    "chownOwnGroup": effect(lambda: os.chown("d/f", -1, 1000), "d/f"),
    "utimes": effect(lambda: os.utime("d/f", ns=(5, 5)), "d/f"),
    "write": effect(lambda: write("d/f", b"x"), "d/f", "d"),
    "truncateShrink": effect(lambda: os.truncate("d/f", 4), "d/f"),
    "truncateSameSize": effect(lambda: os.truncate("d/f", 4), "d/f"),
    "openTruncate": effect(lambda: truncate_open("d/f"), "d/f"),
    "setxattr": effect(lambda: os.setxattr("d/f", "user.k", b"v"), "d/f"),
    "create": effect(lambda: create("d/g"), "d"),
    "mkdir": effect(lambda: os.mkdir("d/sub"), "d"),
    "symlink": effect(lambda: os.symlink("f", "d/s"), "d"),
    "link": effect(lambda: os.link("d/f", "d/h"), "d/f", "d"),
    "unlinkOneLink": effect(lambda: os.unlink("d/h"), "d/f", "d"),
    "renameWithin": effect(lambda: os.rename("d/g", "d/g2"), "d", "d/f"),
    "renameAcross": effect(lambda: os.rename("d/g2", "e/g"), "d", "e"),
    "rmdir": effect(lambda: os.rmdir("d/sub"), "d"),
    "mkfifo": effect(lambda: os.mkfifo("d/p"), "d"),
    "refusedChmod": effect(lambda: os.chmod(os.path.join(fixtures, "root-file"), 0o600), os.path.join(fixtures, "root-file")),
    "refusedCreate": effect(lambda: create(os.path.join(fixtures, "root-dir", "x")), os.path.join(fixtures, "root-dir")),
    "refusedUnlink": effect(lambda: os.unlink(os.path.join(fixtures, "root-dir", "inner")), os.path.join(fixtures, "root-dir")),
}
with open("e/moved", "w") as f:
    f.write("m")
before = times("e/moved")
time.sleep(0.02)
os.rename("e/moved", "d/moved")
after = times("d/moved")
out["renameMovesCtimeOfFile"] = [after[0] != before[0], after[1] != before[1]]
print(json.dumps(out))`,
      a,
      fixtures,
    ),
};
