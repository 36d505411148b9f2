// Moor's native shim for the FUSE daemon: thin, synchronous wrappers around the few Linux system
// calls that Node.js does not expose (passthrough ioctls, flock, OFD locks, xattrs, mknod,
// renameat2, utimensat, fstatat, openat2) plus a readiness watch on /dev/fuse. Every call is non-blocking
// (locks are only ever tried, never waited on; readSpin waits at most the microseconds it is
// given), so the daemon can make them on its event loop. Each returns 0 or a result on
// success and a negative errno on failure; the TypeScript side (src/engines/fuse/_native.ts)
// turns those into errors. Nothing here keeps state.
// Build: native/build.sh (called by scripts/setup.sh).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>
#include <node_api.h>
#include <stdlib.h>
#include <uv.h>

// From include/uapi/linux/fuse.h (protocol 7.40+), written out so older system headers build it.
struct moor_backing_map {
  int32_t fd;
  uint32_t flags;
  uint64_t padding;
};
#define MOOR_DEV_IOC_BACKING_OPEN _IOW(229, 1, struct moor_backing_map)
#define MOOR_DEV_IOC_BACKING_CLOSE _IOW(229, 2, uint32_t)

// From include/uapi/linux/openat2.h (Linux 5.6+).
struct moor_open_how {
  uint64_t flags;
  uint64_t mode;
  uint64_t resolve;
};
#define MOOR_RESOLVE_NO_MAGICLINKS 0x02
#define MOOR_RESOLVE_NO_SYMLINKS 0x04
#define MOOR_RESOLVE_BENEATH 0x08
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define MAX_ARGS 6
// String buffers hold the longest string the kernel accepts plus one byte, so that a string one
// byte too long is seen whole-but-for-one and refused with ENAMETOOLONG, as the kernel would:
// a path has at most 4095 bytes (PATH_MAX counts the NUL), a name or an xattr name 255.
#define PATH_MAX_BYTES (4095 + 2)
#define NAME_MAX_BYTES (255 + 2)

typedef struct {
  napi_env env;
  size_t count;
  napi_value values[MAX_ARGS];
  int failed;
  int too_long;
} args_t;

static void read_args(napi_env env, napi_callback_info info, args_t *args) {
  args->env = env;
  args->count = MAX_ARGS;
  args->failed = napi_get_cb_info(env, info, &args->count, args->values, NULL, NULL) != napi_ok;
  args->too_long = 0;
}

static int64_t arg_int(args_t *args, size_t index) {
  int64_t value = 0;
  if (index >= args->count || napi_get_value_int64(args->env, args->values[index], &value) != napi_ok) {
    args->failed = 1;
  }
  return value;
}

// Copies a string argument into out (size bytes with the NUL). napi truncates to size - 1
// bytes, so a string that fills them is longer than the limit: ENAMETOOLONG, not EINVAL.
static void arg_string(args_t *args, size_t index, char *out, size_t size) {
  size_t length = 0;
  out[0] = 0;
  if (index >= args->count ||
      napi_get_value_string_utf8(args->env, args->values[index], out, size, &length) != napi_ok) {
    args->failed = 1;
  } else if (length + 1 >= size) {
    args->failed = 1;
    args->too_long = 1;
  }
}

// The errno for arguments that did not convert.
static int arg_error(args_t *args) {
  return args->too_long ? -ENAMETOOLONG : -EINVAL;
}

static void *arg_buffer(args_t *args, size_t index, size_t *length) {
  void *data = NULL;
  *length = 0;
  if (index >= args->count || napi_get_buffer_info(args->env, args->values[index], &data, length) != napi_ok) {
    args->failed = 1;
  }
  return data;
}

static napi_value number(napi_env env, int64_t value) {
  napi_value result;
  napi_create_int64(env, value, &result);
  return result;
}

static napi_value result_of(args_t *args, int64_t value) {
  if (args->failed) return number(args->env, arg_error(args));
  return number(args->env, value < 0 ? -errno : value);
}

// backingOpen(devFd, fileFd) -> backing id: registers an open backing file for passthrough.
static napi_value backing_open(napi_env env, napi_callback_info info) {
  args_t args;
  read_args(env, info, &args);
  struct moor_backing_map map = {.fd = (int32_t)arg_int(&args, 1), .flags = 0, .padding = 0};
  int dev = (int)arg_int(&args, 0);
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, ioctl(dev, MOOR_DEV_IOC_BACKING_OPEN, &map));
}

// backingClose(devFd, backingId)
static napi_value backing_close(napi_env env, napi_callback_info info) {
  args_t args;
  read_args(env, info, &args);
  uint32_t id = (uint32_t)arg_int(&args, 1);
  int dev = (int)arg_int(&args, 0);
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, ioctl(dev, MOOR_DEV_IOC_BACKING_CLOSE, &id));
}

// pidfdGetfd(pid, fd) -> a copy, in this process, of descriptor `fd` of process `pid` (the same
// open file): how a new FUSE daemon takes a connection back from the descriptor holder.
static napi_value pidfd_getfd_of(napi_env env, napi_callback_info info) {
  args_t args;
  read_args(env, info, &args);
  int pid = (int)arg_int(&args, 0);
  int fd = (int)arg_int(&args, 1);
  if (args.failed) return number(env, arg_error(&args));
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pidfd < 0) return number(env, -errno);
  int got = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
  int saved = errno;
  close(pidfd);
  if (got < 0) return number(env, -saved);
  fcntl(got, F_SETFD, FD_CLOEXEC);
  return number(env, got);
}

// flock(fd, operation): operation is LOCK_SH/LOCK_EX/LOCK_UN, always made non-blocking.
static napi_value flock_file(napi_env env, napi_callback_info info) {
  args_t args;
  read_args(env, info, &args);
  int fd = (int)arg_int(&args, 0);
  int operation = (int)arg_int(&args, 1);
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, flock(fd, operation | LOCK_NB));
}

// recordLock(fd, set, type, start, length, out): an open-file-description record lock.
// set=1 tries F_OFD_SETLK; set=0 runs F_OFD_GETLK and writes type, start, length into out
// (a Float64Array of 3).
static napi_value record_lock(napi_env env, napi_callback_info info) {
  args_t args;
  read_args(env, info, &args);
  int fd = (int)arg_int(&args, 0);
  int set = (int)arg_int(&args, 1);
  struct flock lock;
  memset(&lock, 0, sizeof lock);
  lock.l_type = (short)arg_int(&args, 2);
  lock.l_whence = SEEK_SET;
  lock.l_start = (off_t)arg_int(&args, 3);
  lock.l_len = (off_t)arg_int(&args, 4);
  if (args.failed) return number(env, arg_error(&args));
  if (fcntl(fd, set ? F_OFD_SETLK : F_OFD_GETLK, &lock) < 0) return number(env, -errno);
  if (!set) {
    napi_typedarray_type type;
    size_t length = 0;
    void *data = NULL;
    if (args.count < 6 ||
        napi_get_typedarray_info(env, args.values[5], &type, &length, &data, NULL, NULL) != napi_ok ||
        type != napi_float64_array || length < 3) {
      return number(env, -EINVAL);
    }
    double *out = data;
    out[0] = lock.l_type;
    out[1] = (double)lock.l_start;
    out[2] = (double)lock.l_len;
  }
  return number(env, 0);
}

// getxattr(path, name, buffer) -> size; an empty buffer asks for the size.
static napi_value get_xattr(napi_env env, napi_callback_info info) {
  args_t args;
  char path[PATH_MAX_BYTES], name[PATH_MAX_BYTES];
  size_t size;
  read_args(env, info, &args);
  arg_string(&args, 0, path, sizeof path);
  arg_string(&args, 1, name, sizeof name);
  void *buffer = arg_buffer(&args, 2, &size);
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, getxattr(path, name, size ? buffer : NULL, size));
}

// setxattr(path, name, value, flags)
static napi_value set_xattr(napi_env env, napi_callback_info info) {
  args_t args;
  char path[PATH_MAX_BYTES], name[PATH_MAX_BYTES];
  size_t size;
  read_args(env, info, &args);
  arg_string(&args, 0, path, sizeof path);
  arg_string(&args, 1, name, sizeof name);
  void *value = arg_buffer(&args, 2, &size);
  int flags = (int)arg_int(&args, 3);
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, setxattr(path, name, value, size, flags));
}

// listxattr(path, buffer) -> size; an empty buffer asks for the size.
static napi_value list_xattr(napi_env env, napi_callback_info info) {
  args_t args;
  char path[PATH_MAX_BYTES];
  size_t size;
  read_args(env, info, &args);
  arg_string(&args, 0, path, sizeof path);
  void *buffer = arg_buffer(&args, 1, &size);
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, listxattr(path, size ? buffer : NULL, size));
}

// removexattr(path, name)
static napi_value remove_xattr(napi_env env, napi_callback_info info) {
  args_t args;
  char path[PATH_MAX_BYTES], name[PATH_MAX_BYTES];
  read_args(env, info, &args);
  arg_string(&args, 0, path, sizeof path);
  arg_string(&args, 1, name, sizeof name);
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, removexattr(path, name));
}

// openat(dirFd, name, flags, mode) -> fd: opens a name relative to a pinned directory. Opening
// through /proc/self/fd/N/name instead costs about 15 times as much per O_CREAT on this kernel.
static napi_value open_at(napi_env env, napi_callback_info info) {
  args_t args;
  char name[NAME_MAX_BYTES];
  read_args(env, info, &args);
  int directory = (int)arg_int(&args, 0);
  arg_string(&args, 1, name, sizeof name);
  int flags = (int)arg_int(&args, 2);
  mode_t mode = (mode_t)arg_int(&args, 3);
  if (args.failed) return number(env, arg_error(&args));
  if (strchr(name, '/') != NULL) return number(env, -EINVAL);
  return result_of(&args, openat(directory, name, flags | O_CLOEXEC, mode));
}

// openBeneath(rootFd, path, flags, mode) -> fd: openat2(2) of a relative path that must stay
// beneath rootFd and pass through no symbolic link at all (RESOLVE_BENEATH, NO_MAGICLINKS,
// NO_SYMLINKS): what a planted link would lead out of gives EXDEV or ELOOP instead. A final
// symlink opened with O_PATH | O_NOFOLLOW gives a descriptor of the link itself.
static napi_value open_beneath(napi_env env, napi_callback_info info) {
  args_t args;
  char path[PATH_MAX_BYTES];
  read_args(env, info, &args);
  int root = (int)arg_int(&args, 0);
  arg_string(&args, 1, path, sizeof path);
  int flags = (int)arg_int(&args, 2);
  mode_t mode = (mode_t)arg_int(&args, 3);
  if (args.failed) return number(env, arg_error(&args));
  struct moor_open_how how = {
      .flags = (uint64_t)(flags | O_CLOEXEC),
      .mode = (flags & (O_CREAT | __O_TMPFILE)) ? mode : 0,
      .resolve = MOOR_RESOLVE_BENEATH | MOOR_RESOLVE_NO_MAGICLINKS | MOOR_RESOLVE_NO_SYMLINKS,
  };
  return result_of(&args, syscall(SYS_openat2, root, path[0] ? path : ".", &how, sizeof how));
}

// statAt(dirFd, name, out) -> 0: fstatat(2) of a name in a pinned directory without following
// a final symlink, or of the descriptor itself when name is "". out is a BigInt64Array of 13:
// dev, ino, mode, nlink, uid, gid, rdev, size, blksize, blocks, atime, mtime, ctime (times in
// nanoseconds). The same numbers Node's bigint stats give, without a /proc/self/fd walk or a
// stats object per call.
static napi_value stat_at(napi_env env, napi_callback_info info) {
  args_t args;
  char name[NAME_MAX_BYTES];
  read_args(env, info, &args);
  int directory = (int)arg_int(&args, 0);
  arg_string(&args, 1, name, sizeof name);
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (args.failed) return number(env, arg_error(&args));
  if (strchr(name, '/') != NULL || args.count < 3 ||
      napi_get_typedarray_info(env, args.values[2], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_bigint64_array || length < 13) {
    return number(env, -EINVAL);
  }
  struct stat st;
  int flags = name[0] ? AT_SYMLINK_NOFOLLOW : AT_EMPTY_PATH;
  if (fstatat(directory, name, &st, flags) < 0) return number(env, -errno);
  int64_t *out = data;
  out[0] = (int64_t)st.st_dev;
  out[1] = (int64_t)st.st_ino;
  out[2] = st.st_mode;
  out[3] = (int64_t)st.st_nlink;
  out[4] = st.st_uid;
  out[5] = st.st_gid;
  out[6] = (int64_t)st.st_rdev;
  out[7] = st.st_size;
  out[8] = st.st_blksize;
  out[9] = st.st_blocks;
  out[10] = (int64_t)st.st_atim.tv_sec * 1000000000 + st.st_atim.tv_nsec;
  out[11] = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
  out[12] = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
  return number(env, 0);
}

// futimens(fd, atimeSec, atimeNsec, mtimeSec, mtimeNsec): utimens on an open descriptor.
static napi_value set_times_fd(napi_env env, napi_callback_info info) {
  args_t args;
  read_args(env, info, &args);
  int fd = (int)arg_int(&args, 0);
  struct timespec times[2];
  times[0].tv_sec = (time_t)arg_int(&args, 1);
  times[0].tv_nsec = (long)arg_int(&args, 2);
  times[1].tv_sec = (time_t)arg_int(&args, 3);
  times[1].tv_nsec = (long)arg_int(&args, 4);
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, futimens(fd, times));
}

// fgetxattr(fd, name, buffer) -> size: getxattr on an open descriptor; an empty buffer asks for
// the size.
static napi_value get_xattr_fd(napi_env env, napi_callback_info info) {
  args_t args;
  char name[PATH_MAX_BYTES];
  size_t size;
  read_args(env, info, &args);
  int fd = (int)arg_int(&args, 0);
  arg_string(&args, 1, name, sizeof name);
  void *buffer = arg_buffer(&args, 2, &size);
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, fgetxattr(fd, name, size ? buffer : NULL, size));
}

// mknod(path, mode, rdev): rdev is the kernel's encoded device number.
static napi_value make_node(napi_env env, napi_callback_info info) {
  args_t args;
  char path[PATH_MAX_BYTES];
  read_args(env, info, &args);
  arg_string(&args, 0, path, sizeof path);
  mode_t mode = (mode_t)arg_int(&args, 1);
  dev_t rdev = (dev_t)arg_int(&args, 2);
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, mknod(path, mode, rdev));
}

// rename2(oldPath, newPath, flags): renameat2 with RENAME_NOREPLACE/RENAME_EXCHANGE.
static napi_value rename_with_flags(napi_env env, napi_callback_info info) {
  args_t args;
  char from[PATH_MAX_BYTES], to[PATH_MAX_BYTES];
  read_args(env, info, &args);
  arg_string(&args, 0, from, sizeof from);
  arg_string(&args, 1, to, sizeof to);
  unsigned int flags = (unsigned int)arg_int(&args, 2);
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, renameat2(AT_FDCWD, from, AT_FDCWD, to, flags));
}

// utimens(path, atimeSec, atimeNsec, mtimeSec, mtimeNsec, noFollow): nanosecond times, where a
// nsec of UTIME_NOW or UTIME_OMIT means "now" or "leave as is".
static napi_value set_times(napi_env env, napi_callback_info info) {
  args_t args;
  char path[PATH_MAX_BYTES];
  read_args(env, info, &args);
  arg_string(&args, 0, path, sizeof path);
  struct timespec times[2];
  times[0].tv_sec = (time_t)arg_int(&args, 1);
  times[0].tv_nsec = (long)arg_int(&args, 2);
  times[1].tv_sec = (time_t)arg_int(&args, 3);
  times[1].tv_nsec = (long)arg_int(&args, 4);
  int flags = arg_int(&args, 5) ? AT_SYMLINK_NOFOLLOW : 0;
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, utimensat(AT_FDCWD, path, times, flags));
}

// watchReadable(fd, callback) -> handle: calls callback() on the event loop whenever fd (opened
// non-blocking) is readable, so the daemon reads /dev/fuse itself instead of parking a pool
// thread in read(2) per outstanding request. unwatch(handle) stops it.
typedef struct {
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_async_context context;
} watch_t;

static void on_readable(uv_poll_t *poll, int status, int events) {
  (void)events;
  watch_t *watch = poll->data;
  napi_handle_scope scope;
  napi_value callback, receiver, argument, result;
  if (napi_open_handle_scope(watch->env, &scope) != napi_ok) return;
  napi_get_reference_value(watch->env, watch->callback, &callback);
  napi_get_global(watch->env, &receiver);
  napi_create_int32(watch->env, status, &argument);
  if (napi_make_callback(watch->env, watch->context, receiver, callback, 1, &argument, &result) == napi_pending_exception) {
    napi_value exception;
    napi_get_and_clear_last_exception(watch->env, &exception);
    napi_fatal_exception(watch->env, exception);
  }
  napi_close_handle_scope(watch->env, scope);
}

static void free_watch(uv_handle_t *handle) {
  free(handle->data);
}

static napi_value watch_readable(napi_env env, napi_callback_info info) {
  args_t args;
  read_args(env, info, &args);
  int fd = (int)arg_int(&args, 0);
  napi_valuetype type;
  if (args.failed || args.count < 2 || napi_typeof(env, args.values[1], &type) != napi_ok || type != napi_function) {
    napi_throw_type_error(env, NULL, "watchReadable(fd, callback) needs a descriptor and a function");
    return NULL;
  }
  uv_loop_t *loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) return NULL;
  watch_t *watch = calloc(1, sizeof *watch);
  if (!watch) return NULL;
  watch->env = env;
  watch->poll.data = watch;
  napi_value name;
  napi_create_string_utf8(env, "moor-fuse-device", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &watch->context);
  napi_create_reference(env, args.values[1], 1, &watch->callback);
  int error = uv_poll_init(loop, &watch->poll, fd);
  if (!error) error = uv_poll_start(&watch->poll, UV_READABLE, on_readable);
  if (error) {
    napi_delete_reference(env, watch->callback);
    napi_async_destroy(env, watch->context);
    free(watch);
    napi_throw_error(env, NULL, uv_strerror(error));
    return NULL;
  }
  napi_value handle;
  napi_create_external(env, watch, NULL, NULL, &handle);
  return handle;
}

// pauseWatch(handle, paused): stops or restarts the watch while the daemon has no buffer free
// (the watch is level-triggered: unread requests would wake it again at once).
static napi_value pause_watch(napi_env env, napi_callback_info info) {
  args_t args;
  read_args(env, info, &args);
  void *data = NULL;
  int paused = (int)arg_int(&args, 1);
  if (args.failed || napi_get_value_external(env, args.values[0], &data) != napi_ok || !data) return NULL;
  watch_t *watch = data;
  if (!watch->callback) return NULL;
  if (paused) uv_poll_stop(&watch->poll);
  else uv_poll_start(&watch->poll, UV_READABLE, on_readable);
  return NULL;
}

// readInto(fd, buffer) -> bytes read or -errno, without throwing: EAGAIN ends every drain.
static napi_value read_into(napi_env env, napi_callback_info info) {
  args_t args;
  size_t size;
  read_args(env, info, &args);
  int fd = (int)arg_int(&args, 0);
  void *buffer = arg_buffer(&args, 1, &size);
  if (args.failed) return number(env, arg_error(&args));
  return result_of(&args, read(fd, buffer, size));
}

// readSpin(fd, buffer, spinNanos) -> bytes read or -errno: like readInto, but keeps trying for
// up to spinNanos while the device has nothing queued. A daemon that sleeps between requests
// pays for a wake-up on every request (on a virtual machine, an idle vCPU halts and waking it
// costs tens of microseconds); spinning briefly after a request catches the next one of a burst
// (a create is four requests in a row) while the CPU is still awake.
static napi_value read_spin(napi_env env, napi_callback_info info) {
  args_t args;
  size_t size;
  read_args(env, info, &args);
  int fd = (int)arg_int(&args, 0);
  void *buffer = arg_buffer(&args, 1, &size);
  int64_t spin = arg_int(&args, 2);
  if (args.failed) return number(env, arg_error(&args));
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  int64_t deadline = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec + spin;
  for (;;) {
    ssize_t bytes = read(fd, buffer, size);
    if (bytes >= 0) return number(env, bytes);
    if (errno != EAGAIN) return number(env, -errno);
    clock_gettime(CLOCK_MONOTONIC, &now);
    if ((int64_t)now.tv_sec * 1000000000 + now.tv_nsec >= deadline) return number(env, -EAGAIN);
  }
}

static napi_value unwatch(napi_env env, napi_callback_info info) {
  args_t args;
  read_args(env, info, &args);
  void *data = NULL;
  if (args.count < 1 || napi_get_value_external(env, args.values[0], &data) != napi_ok || !data) return NULL;
  watch_t *watch = data;
  if (!watch->callback) return NULL;
  uv_poll_stop(&watch->poll);
  napi_delete_reference(env, watch->callback);
  napi_async_destroy(env, watch->context);
  watch->callback = NULL;
  uv_close((uv_handle_t *)&watch->poll, free_watch);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor functions[] = {
      {"backingOpen", NULL, backing_open, NULL, NULL, NULL, napi_default, NULL},
      {"pidfdGetfd", NULL, pidfd_getfd_of, NULL, NULL, NULL, napi_default, NULL},
      {"backingClose", NULL, backing_close, NULL, NULL, NULL, napi_default, NULL},
      {"flock", NULL, flock_file, NULL, NULL, NULL, napi_default, NULL},
      {"recordLock", NULL, record_lock, NULL, NULL, NULL, napi_default, NULL},
      {"getxattr", NULL, get_xattr, NULL, NULL, NULL, napi_default, NULL},
      {"setxattr", NULL, set_xattr, NULL, NULL, NULL, napi_default, NULL},
      {"listxattr", NULL, list_xattr, NULL, NULL, NULL, napi_default, NULL},
      {"removexattr", NULL, remove_xattr, NULL, NULL, NULL, napi_default, NULL},
      {"mknod", NULL, make_node, NULL, NULL, NULL, napi_default, NULL},
      {"utimens", NULL, set_times, NULL, NULL, NULL, napi_default, NULL},
      {"watchReadable", NULL, watch_readable, NULL, NULL, NULL, napi_default, NULL},
      {"unwatch", NULL, unwatch, NULL, NULL, NULL, napi_default, NULL},
      {"pauseWatch", NULL, pause_watch, NULL, NULL, NULL, napi_default, NULL},
      {"readInto", NULL, read_into, NULL, NULL, NULL, napi_default, NULL},
      {"rename2", NULL, rename_with_flags, NULL, NULL, NULL, napi_default, NULL},
      {"openat", NULL, open_at, NULL, NULL, NULL, napi_default, NULL},
      {"openBeneath", NULL, open_beneath, NULL, NULL, NULL, napi_default, NULL},
      {"statAt", NULL, stat_at, NULL, NULL, NULL, napi_default, NULL},
      {"futimens", NULL, set_times_fd, NULL, NULL, NULL, napi_default, NULL},
      {"fgetxattr", NULL, get_xattr_fd, NULL, NULL, NULL, napi_default, NULL},
      {"readSpin", NULL, read_spin, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
