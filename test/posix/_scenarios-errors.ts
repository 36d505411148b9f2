// Scenarios on the error cases of each system call, as pjdfstest checks them: ENOTDIR, EISDIR,
// EEXIST, ENOTEMPTY, ELOOP, EXDEV, EACCES and EPERM, each through the calls that can return it.
// Every call goes through Python's os module (one system call each), so what is compared is the
// errno the kernel hands the caller.

import { python, type Scenario } from "./_tools.js";

export const errorScenarios: Record<string, Scenario> = {
  "ENOTDIR: a file used as a directory": ({ a }) =>
    python(
      `import os, sys, json
os.chdir(sys.argv[1])
open("file", "w").close()
os.mkdir("dir")
out = {
    "openBelow": attempt(lambda: os.open("file/x", os.O_RDONLY)),
    "createBelow": attempt(lambda: os.open("file/x", os.O_CREAT | os.O_WRONLY, 0o644)),
    "mkdirBelow": attempt(lambda: os.mkdir("file/x")),
    "statBelow": attempt(lambda: os.lstat("file/x")),
    "unlinkBelow": attempt(lambda: os.unlink("file/x")),
    "symlinkBelow": attempt(lambda: os.symlink("t", "file/x")),
    "linkBelow": attempt(lambda: os.link("dir", "file/x")),
    "chmodBelow": attempt(lambda: os.chmod("file/x", 0o600)),
    "openDirectoryFlag": attempt(lambda: os.open("file", os.O_RDONLY | os.O_DIRECTORY)),
    "listFile": attempt(lambda: os.listdir("file")),
    "rmdirFile": attempt(lambda: os.rmdir("file")),
    "renameDirectoryOverFile": attempt(lambda: os.rename("dir", "file")),
    "renameTrailingSlash": attempt(lambda: os.rename("file", "other/")),
    "chdirFile": attempt(lambda: os.chdir("file")),
}
print(json.dumps(out))`,
      a,
    ),

  "EISDIR: a directory used as a file": ({ a }) =>
    python(
      `import os, sys, json
os.chdir(sys.argv[1])
os.mkdir("dir")
open("file", "w").close()
out = {
    "openWrite": attempt(lambda: os.open("dir", os.O_WRONLY)),
    "openReadWrite": attempt(lambda: os.open("dir", os.O_RDWR)),
    "openCreate": attempt(lambda: os.open("dir", os.O_CREAT | os.O_WRONLY, 0o644)),
    "truncate": attempt(lambda: os.truncate("dir", 0)),
    "unlink": attempt(lambda: os.unlink("dir")),
    "renameFileOverDirectory": attempt(lambda: os.rename("file", "dir")),
    "readDirectory": attempt(lambda: os.read(os.open("dir", os.O_RDONLY), 10)),
    "openReadOnly": attempt(lambda: os.close(os.open("dir", os.O_RDONLY))),
}
print(json.dumps(out))`,
      a,
    ),

  "EEXIST and ENOTEMPTY: a name already taken": ({ a }) =>
    python(
      `import os, sys, json
os.chdir(sys.argv[1])
open("file", "w").close()
os.mkdir("dir")
os.mkdir("full")
open("full/x", "w").close()
os.mkdir("empty")
os.symlink("nowhere", "dangling")
os.mkfifo("fifo")
out = {
    "mkdirOverFile": attempt(lambda: os.mkdir("file")),
    "mkdirOverDirectory": attempt(lambda: os.mkdir("dir")),
    "mkdirOverDanglingSymlink": attempt(lambda: os.mkdir("dangling")),
    "createExclusive": attempt(lambda: os.open("file", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)),
    "createExclusiveOverDanglingSymlink": attempt(lambda: os.open("dangling", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)),
    "createExclusiveOverDirectory": attempt(lambda: os.open("dir", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)),
    "symlinkOverFile": attempt(lambda: os.symlink("t", "file")),
    "symlinkOverDirectory": attempt(lambda: os.symlink("t", "dir")),
    "linkOverFile": attempt(lambda: os.link("file", "file")),
    "linkOverSymlink": attempt(lambda: os.link("file", "dangling")),
    "mkfifoOverFifo": attempt(lambda: os.mkfifo("fifo")),
    "mkfifoOverFile": attempt(lambda: os.mkfifo("file")),
    "rmdirNonEmpty": attempt(lambda: os.rmdir("full")),
    "renameDirectoryOverNonEmpty": attempt(lambda: os.rename("empty", "full")),
    "renameDirectoryOverEmpty": attempt(lambda: os.rename("dir", "empty")),
    "rmdirDot": attempt(lambda: os.rmdir("full/.")),
    "rmdirDotDot": attempt(lambda: os.rmdir("full/..")),
    "listing": sorted(os.listdir(".")),
}
print(json.dumps(out))`,
      a,
    ),

  "ELOOP: symbolic link loops and O_NOFOLLOW": ({ a }) =>
    python(
      `import os, sys, json
os.chdir(sys.argv[1])
os.symlink("loop-b", "loop-a")
os.symlink("loop-a", "loop-b")
open("target", "w").close()
os.symlink("target", "link")
# A chain longer than the kernel follows (40 links).
for i in range(45):
    os.symlink("chain-%d" % (i + 1) if i < 44 else "target", "chain-%d" % i)
out = {
    "statLoop": attempt(lambda: os.stat("loop-a")),
    "openLoop": attempt(lambda: os.open("loop-a", os.O_RDONLY)),
    "createThroughLoop": attempt(lambda: os.open("loop-a", os.O_CREAT | os.O_WRONLY, 0o644)),
    "mkdirBelowLoop": attempt(lambda: os.mkdir("loop-a/x")),
    "chmodLoop": attempt(lambda: os.chmod("loop-a", 0o600)),
    "truncateLoop": attempt(lambda: os.truncate("loop-a", 0)),
    "lstatLoop": attempt(lambda: os.lstat("loop-a")),
    "unlinkLoop": attempt(lambda: os.unlink("loop-b")),
    "noFollow": attempt(lambda: os.open("link", os.O_RDONLY | os.O_NOFOLLOW)),
    "noFollowCreate": attempt(lambda: os.open("link", os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o644)),
    "noFollowTarget": attempt(lambda: os.close(os.open("target", os.O_RDONLY | os.O_NOFOLLOW))),
    "longChain": attempt(lambda: os.stat("chain-0")),
    "shortChain": attempt(lambda: os.stat("chain-10")),
}
print(json.dumps(out))`,
      a,
    ),

  "symlinks, trailing slashes and dots in each call": ({ a }) =>
    python(
      `import os, sys, json
os.chdir(sys.argv[1])
open("file", "w").close()
os.mkdir("dir")
os.symlink("file", "to-file")
os.symlink("dir", "to-dir")
def kind(p):
    st = os.lstat(p)
    return "link" if os.path.islink(p) else ("dir" if os.path.isdir(p) else "file")
out = {
    "lchownOwnGroup": attempt(lambda: os.lchown("to-file", -1, 1000)),
    "linkToSymlink": attempt(lambda: os.link("to-file", "hard-to-link", follow_symlinks=False)),
    "linkedKind": kind("hard-to-link") if os.path.lexists("hard-to-link") else None,
    "chmodFollows": attempt(lambda: os.chmod("to-file", 0o600)),
    "targetMode": oct(os.stat("file").st_mode & 0o777),
    "renameSymlink": attempt(lambda: os.rename("to-dir", "renamed-link")),
    "renamedKind": kind("renamed-link"),
    "createThroughDirLink": attempt(lambda: os.close(os.open("renamed-link/inside", os.O_CREAT | os.O_WRONLY, 0o644))),
    "insideExists": os.path.exists("dir/inside"),
    "unlinkFileSlash": attempt(lambda: os.unlink("file/")),
    "statFileSlash": attempt(lambda: os.stat("file/")),
    "mkdirSlash": attempt(lambda: os.mkdir("new-dir/")),
    "rmdirSlashDot": attempt(lambda: os.rmdir("new-dir/.")),
    "rmdirSlash": attempt(lambda: os.rmdir("new-dir/")),
    "renameDot": attempt(lambda: os.rename("dir/.", "elsewhere")),
    "renameOntoDot": attempt(lambda: os.rename("file", "dir/.")),
    "renameDirIntoChild": attempt(lambda: os.rename("dir", "dir/sub")),
    "renameSameFile": attempt(lambda: os.rename("file", "file")),
    "renameHardLinks": attempt(lambda: os.link("file", "second") or os.rename("file", "second")),
    "bothNamesStay": [os.path.exists("file"), os.path.exists("second")],
    "ftruncateReadOnly": attempt(lambda: os.ftruncate(os.open("file", os.O_RDONLY), 0)),
    "ftruncateNegative": attempt(lambda: os.ftruncate(os.open("file", os.O_WRONLY), -1)),
    "readlinkDirectory": attempt(lambda: os.readlink("dir")),
    "symlinkEmptyTarget": attempt(lambda: os.symlink("", "empty-link")),
    "listing": sorted(os.listdir(".")),
}
print(json.dumps(out))`,
      a,
    ),

  "EXDEV: rename and link to another file system": ({ a }) =>
    python(
      `import os, sys, json, tempfile
os.chdir(sys.argv[1])
open("file", "w").close()
os.mkdir("dir")
elsewhere = tempfile.mkdtemp(dir="/dev/shm")
out = {
    "renameOut": attempt(lambda: os.rename("file", os.path.join(elsewhere, "file"))),
    "renameDirectoryOut": attempt(lambda: os.rename("dir", os.path.join(elsewhere, "dir"))),
    "linkOut": attempt(lambda: os.link("file", os.path.join(elsewhere, "link"))),
}
open(os.path.join(elsewhere, "in"), "w").close()
out["renameIn"] = attempt(lambda: os.rename(os.path.join(elsewhere, "in"), "in"))
out["linkIn"] = attempt(lambda: os.link(os.path.join(elsewhere, "in"), "in"))
for name in os.listdir(elsewhere):
    os.unlink(os.path.join(elsewhere, name))
os.rmdir(elsewhere)
out["listing"] = sorted(os.listdir("."))
print(json.dumps(out))`,
      a,
    ),

  "EACCES: search, read and write permission on each call": ({ a, fixtures }) =>
    python(
      `import os, sys, json
a, fixtures = sys.argv[1], sys.argv[2]
os.chdir(a)
root_dir = os.path.join(fixtures, "root-dir")
hidden = os.path.join(fixtures, "unsearchable")
open("readonly", "w").close()
os.chmod("readonly", 0o444)
os.mkdir("locked")
open("locked/inside", "w").close()
os.chmod("locked", 0o555)
out = {
    "renameInRootDirectory": attempt(lambda: os.rename(os.path.join(root_dir, "inner"), os.path.join(root_dir, "moved"))),
    "renameIntoRootDirectory": attempt(lambda: os.rename("readonly", os.path.join(root_dir, "mine"))),
    "rmdirInRootDirectory": attempt(lambda: os.rmdir(os.path.join(root_dir, "inner"))),
    "symlinkInRootDirectory": attempt(lambda: os.symlink("t", os.path.join(root_dir, "link"))),
    "linkIntoRootDirectory": attempt(lambda: os.link("readonly", os.path.join(root_dir, "link"))),
    "mkfifoInRootDirectory": attempt(lambda: os.mkfifo(os.path.join(root_dir, "fifo"))),
    "chdirUnsearchable": attempt(lambda: os.open(os.path.join(hidden, "hidden"), os.O_RDONLY)),
    "openOwnReadOnlyForWriting": attempt(lambda: os.open("readonly", os.O_WRONLY)),
    "truncateOwnReadOnly": attempt(lambda: os.truncate("readonly", 0)),
    "openAppendReadOnly": attempt(lambda: os.open("readonly", os.O_WRONLY | os.O_APPEND)),
    "unlinkInLocked": attempt(lambda: os.unlink("locked/inside")),
    "createInLocked": attempt(lambda: os.open("locked/new", os.O_CREAT | os.O_WRONLY, 0o644)),
    "renameOutOfLocked": attempt(lambda: os.rename("locked/inside", "out")),
    "mkdirInLocked": attempt(lambda: os.mkdir("locked/sub")),
    "accessReadOnlyForWriting": os.access("readonly", os.W_OK),
    "readPrivateThroughFd": attempt(lambda: os.open(os.path.join(fixtures, "root-private"), os.O_RDONLY)),
}
os.chmod("locked", 0o755)
print(json.dumps(out))`,
      a,
      fixtures,
    ),

  "EPERM: what only an owner may do": ({ a, fixtures }) =>
    python(
      `import os, sys, json
a, fixtures = sys.argv[1], sys.argv[2]
os.chdir(a)
sticky = os.path.join(fixtures, "sticky")
root_file = os.path.join(fixtures, "root-file")
world = os.path.join(fixtures, "world-writable")
open(os.path.join(sticky, "mine-%d" % os.getpid()), "w").close()
mine = os.path.join(sticky, "mine-%d" % os.getpid())
out = {
    "chmodForeign": attempt(lambda: os.chmod(root_file, 0o644)),
    "chownForeign": attempt(lambda: os.chown(root_file, 1000, -1)),
    "chgrpForeign": attempt(lambda: os.chown(root_file, -1, 0)),
    "explicitTimesOnWritableForeign": attempt(lambda: os.utime(world, ns=(5, 5))),
    "renameOthersInSticky": attempt(lambda: os.rename(os.path.join(sticky, "others"), os.path.join(sticky, "taken"))),
    "renameOverOthersInSticky": attempt(lambda: os.rename(mine, os.path.join(sticky, "others"))),
    "rmdirOthersInSticky": attempt(lambda: os.rmdir(os.path.join(sticky, "others-dir"))),
    "unlinkOthersInSticky": attempt(lambda: os.unlink(os.path.join(sticky, "others"))),
    "linkForeignProtected": attempt(lambda: os.link(root_file, "stolen")),
    "xattrTrustedForeign": attempt(lambda: os.setxattr(world, "trusted.x", b"1")),
    "unlinkOwnInSticky": attempt(lambda: os.unlink(mine)),
}
print(json.dumps(out))`,
      a,
      fixtures,
    ),
};
