// Scenarios on mode bits with effects: set-group-ID directories (new entries take the directory's
// group, new directories its set-group-ID bit), set-ID bits cleared by writes, truncation and
// chown, and utimensat with UTIME_NOW and UTIME_OMIT (through ctypes: Python's os.utime cannot
// omit one of the two times).

import { python, type Scenario } from "./_tools.js";

export const modeScenarios: Record<string, Scenario> = {
  "a set-group-ID directory hands its group down": ({ fixtures }) =>
    python(
      `import os, sys, json
d = os.path.join(sys.argv[1], "setgid-dir")
def summary(p):
    st = os.lstat(p)
    return [oct(st.st_mode & 0o7777), st.st_uid, st.st_gid]
tag = str(os.getpid())
f = os.path.join(d, "file-" + tag)
os.close(os.open(f, os.O_CREAT | os.O_WRONLY, 0o644))
sub = os.path.join(d, "dir-" + tag)
os.mkdir(sub, 0o755)
inner = os.path.join(sub, "inner")
os.close(os.open(inner, os.O_CREAT | os.O_WRONLY, 0o644))
setgid_file = os.path.join(d, "setgid-file-" + tag)
os.close(os.open(setgid_file, os.O_CREAT | os.O_WRONLY, 0o2755))
link = os.path.join(d, "link-" + tag)
os.symlink("target", link)
fifo = os.path.join(d, "fifo-" + tag)
os.mkfifo(fifo, 0o640)
out = {
    "directory": summary(d),
    "file": summary(f),
    "subdirectory": summary(sub),
    "fileInSubdirectory": summary(inner),
    "createdSetGidNotInGroup": summary(setgid_file),
    "symlink": summary(link)[1:],
    "fifo": summary(fifo),
    "chmodSetGidNotInGroup": os.chmod(f, 0o2755) or summary(f),
}
for p in (inner, f, setgid_file, link, fifo):
    os.unlink(p)
os.rmdir(sub)
print(json.dumps(out))`,
      fixtures,
    ),

  "set-ID bits are cleared by a write, a truncation and a chown": ({ a }) =>
    python(
      `import os, sys, json
os.chdir(sys.argv[1])
def mode(p):
    return oct(os.stat(p).st_mode & 0o7777)
out = {}
for name, bits in (("suid", 0o4755), ("sgid", 0o2755), ("both", 0o6755), ("sgidNoExec", 0o2745)):
    open(name, "w").close()
    os.chmod(name, bits)
    fd = os.open(name, os.O_WRONLY)
    os.write(fd, b"data")
    os.close(fd)
    out["write-" + name] = mode(name)
for name, bits in (("t-suid", 0o4755), ("t-sgid", 0o2755)):
    with open(name, "w") as f:
        f.write("data")
    os.chmod(name, bits)
    os.truncate(name, 1)
    out["truncate-" + name] = mode(name)
for name, bits in (("c-suid", 0o4755), ("c-sgid", 0o2755), ("c-sgidNoExec", 0o2745)):
    open(name, "w").close()
    os.chmod(name, bits)
    os.chown(name, -1, 1000)
    out["chown-" + name] = mode(name)
os.mkdir("dir")
os.chmod("dir", 0o2755)
os.chown("dir", -1, 1000)
out["chown-directory"] = mode("dir")
open("empty-write", "w").close()
os.chmod("empty-write", 0o4755)
fd = os.open("empty-write", os.O_WRONLY)
os.write(fd, b"")
os.close(fd)
out["zero-byte-write"] = mode("empty-write")
print(json.dumps(out))`,
      a,
    ),

  "mode bits at creation, sticky files and ETXTBSY": ({ a }) =>
    python(
      `import os, sys, json, shutil, subprocess, time
os.chdir(sys.argv[1])
def mode(p):
    return oct(os.lstat(p).st_mode & 0o7777)
os.umask(0o022)
out = {}
os.close(os.open("created-suid", os.O_CREAT | os.O_WRONLY, 0o4777))
out["createdSuid"] = mode("created-suid")
os.close(os.open("created-sticky", os.O_CREAT | os.O_WRONLY, 0o1666))
out["createdSticky"] = mode("created-sticky")
os.mkdir("made-sticky", 0o1777)
out["mkdirSticky"] = mode("made-sticky")
os.umask(0)
os.mkdir("made-open", 0o777)
out["mkdirNoUmask"] = mode("made-open")
os.umask(0o022)
open("plain", "w").close()
out["chmodStickyFile"] = attempt(lambda: os.chmod("plain", 0o1644)), mode("plain")
shutil.copy("/bin/sleep", "program")
os.chmod("program", 0o755)
running = subprocess.Popen(["./program", "30"])
time.sleep(0.3)
out["openRunningForWriting"] = attempt(lambda: os.open("program", os.O_WRONLY))
out["truncateRunning"] = attempt(lambda: os.truncate("program", 0))
out["unlinkRunning"] = attempt(lambda: os.unlink("program"))
running.kill()
running.wait()
print(json.dumps(out))`,
      a,
    ),

  "utimensat with UTIME_NOW and UTIME_OMIT": ({ a, fixtures }) =>
    python(
      `import ctypes, ctypes.util, os, sys, json, time
a, fixtures = sys.argv[1], sys.argv[2]
libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
UTIME_NOW, UTIME_OMIT, AT_FDCWD, AT_SYMLINK_NOFOLLOW = (1 << 30) - 1, (1 << 30) - 2, -100, 0x100
class Timespec(ctypes.Structure):
    _fields_ = [("sec", ctypes.c_long), ("nsec", ctypes.c_long)]
def utimensat(path, atime, mtime, flags=0):
    def spec(value):
        return Timespec(0, value) if value in (UTIME_NOW, UTIME_OMIT) else Timespec(value // 1_000_000_000, value % 1_000_000_000)
    times = (Timespec * 2)(spec(atime), spec(mtime))
    if libc.utimensat(AT_FDCWD, path.encode(), times, flags) != 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
def times(p):
    st = os.lstat(p)
    now = time.time_ns()
    def describe(value):
        return value if value < 10**18 else ("now" if abs(now - value) < 60 * 10**9 else value)
    return [describe(st.st_atime_ns), describe(st.st_mtime_ns)]
p = os.path.join(a, "f")
open(p, "w").close()
utimensat(p, 1_000_000_001, 2_000_000_002)
out = {"start": times(p)}
out["omitAtime"] = attempt(lambda: utimensat(p, UTIME_OMIT, 3_000_000_003)), times(p)
out["omitMtime"] = attempt(lambda: utimensat(p, 4_000_000_004, UTIME_OMIT)), times(p)
out["omitBoth"] = attempt(lambda: utimensat(p, UTIME_OMIT, UTIME_OMIT)), times(p)
out["nowAtime"] = attempt(lambda: utimensat(p, UTIME_NOW, UTIME_OMIT)), times(p)
utimensat(p, 1_000_000_001, 2_000_000_002)
out["nowMtime"] = attempt(lambda: utimensat(p, UTIME_OMIT, UTIME_NOW)), times(p)
utimensat(p, 1_000_000_001, 2_000_000_002)
out["nowBoth"] = attempt(lambda: utimensat(p, UTIME_NOW, UTIME_NOW)), times(p)
os.symlink("f", os.path.join(a, "link"))
out["symlinkNoFollow"] = attempt(lambda: utimensat(os.path.join(a, "link"), 7_000_000_007, 8_000_000_008, AT_SYMLINK_NOFOLLOW))
world = os.path.join(fixtures, "world-writable")
root_file = os.path.join(fixtures, "root-file")
out["foreignWritableNowBoth"] = attempt(lambda: utimensat(world, UTIME_NOW, UTIME_NOW))
out["foreignWritableNowOmit"] = attempt(lambda: utimensat(world, UTIME_NOW, UTIME_OMIT))
out["foreignWritableOmitBoth"] = attempt(lambda: utimensat(world, UTIME_OMIT, UTIME_OMIT))
out["foreignWritableExplicit"] = attempt(lambda: utimensat(world, UTIME_OMIT, 5))
out["foreignReadOnlyNowBoth"] = attempt(lambda: utimensat(root_file, UTIME_NOW, UTIME_NOW))
out["foreignReadOnlyOmitBoth"] = attempt(lambda: utimensat(root_file, UTIME_OMIT, UTIME_OMIT))
print(json.dumps(out))`,
      a,
      fixtures,
    ),
};
