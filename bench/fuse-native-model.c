// A model of a native fast path, for bench/fuse-roundtrip.ts: a small C daemon that serves a real
// backing directory the way Moor's daemon does for the requests of an untar and of a create loop
// (LOOKUP, GETATTR, CREATE, OPEN, SETATTR, GETXATTR, FLUSH, RELEASE, MKDIR, FORGET) and the same
// system calls per request (fstatat on pinned directory descriptors, openat O_NOFOLLOW, fchown
// to the access point's identity, FUSE passthrough for data), with none of Moor's checks beyond
// that and with everything else refused (ENOSYS). It answers one question before the fast path is
// built into Moor: how fast can untar and creates go here when no request goes through
// JavaScript, from /dev/fuse read by a thread per CPU or from FUSE-over-io_uring queues?
// Not a file system to use: no permission checks, no LRU of descriptors, no unlink.
// Usage: fuse-native-model BACKING MOUNTPOINT UID GID [uring]; prints the server's pid.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "fuse-native-model.h"

static int device;
static uid_t owner_uid;
static gid_t owner_gid;
static int passthrough;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

// Nodes: index = node id; directories keep an O_PATH descriptor, files are reached by parent and name.
struct node {
  uint64_t parent;
  char *name;
  int fd;
  int open_fd;
  uint32_t backing;
  uint32_t backing_users;
  dev_t dev;
  ino_t ino;
};
#define NODES_MAX (1u << 20)
static struct node nodes[NODES_MAX];
static uint64_t node_count = 2;
static uint64_t by_ino[NODES_MAX * 2];

struct handle {
  uint64_t node;
  int fd;
};
#define HANDLES_MAX 65536
static struct handle handles[HANDLES_MAX];
static uint64_t next_handle = 1;

static uint64_t *slot_of(ino_t ino) {
  uint64_t index = (ino * 0x9e3779b97f4a7c15ull) & (NODES_MAX * 2 - 1);
  while (by_ino[index] && nodes[by_ino[index]].ino != ino) index = (index + 1) & (NODES_MAX * 2 - 1);
  return &by_ino[index];
}

static uint64_t remember(uint64_t parent, const char *name, const struct stat *st) {
  uint64_t *slot = slot_of(st->st_ino);
  if (*slot) return *slot;
  if (node_count >= NODES_MAX) return 0;
  uint64_t id = node_count++;
  struct node *node = &nodes[id];
  node->parent = parent;
  node->name = strdup(name);
  node->fd = S_ISDIR(st->st_mode) ? openat(nodes[parent].fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC) : -1;
  node->open_fd = -1;
  node->dev = st->st_dev;
  node->ino = st->st_ino;
  *slot = id;
  return id;
}

static void fill_attr(struct fuse_attr *attr, const struct stat *st) {
  memset(attr, 0, sizeof *attr);
  attr->ino = st->st_ino;
  attr->size = st->st_size;
  attr->blocks = st->st_blocks;
  attr->atime = st->st_atim.tv_sec;
  attr->mtime = st->st_mtim.tv_sec;
  attr->ctime = st->st_ctim.tv_sec;
  attr->atimensec = st->st_atim.tv_nsec;
  attr->mtimensec = st->st_mtim.tv_nsec;
  attr->ctimensec = st->st_ctim.tv_nsec;
  attr->mode = st->st_mode;
  attr->nlink = st->st_nlink;
  attr->uid = st->st_uid;
  attr->gid = st->st_gid;
  attr->blksize = st->st_blksize;
}

static uint32_t entry(void *out, uint64_t id, const struct stat *st) {
  struct fuse_entry_out *entry_out = out;
  memset(entry_out, 0, sizeof *entry_out);
  entry_out->nodeid = id;
  entry_out->entry_valid = 5;
  entry_out->attr_valid = 5;
  fill_attr(&entry_out->attr, st);
  return sizeof *entry_out;
}

static int stat_node(uint64_t id, struct stat *st) {
  struct node *node = &nodes[id];
  if (node->fd >= 0) return fstatat(node->fd, "", st, AT_EMPTY_PATH);
  if (node->open_fd >= 0) return fstat(node->open_fd, st);
  return fstatat(nodes[node->parent].fd, node->name, st, AT_SYMLINK_NOFOLLOW);
}

static uint32_t open_handle(void *out, uint64_t id, int fd) {
  struct model_open_out *open_out = out;
  memset(open_out, 0, sizeof *open_out);
  struct node *node = &nodes[id];
  if (passthrough) {
    if (node->backing_users == 0) {
      struct model_backing_map map = {.fd = fd};
      int backing = ioctl(device, MODEL_DEV_IOC_BACKING_OPEN, &map);
      node->backing = backing > 0 ? (uint32_t)backing : 0;
    }
    if (node->backing) {
      node->backing_users += 1;
      open_out->open_flags = MODEL_FOPEN_PASSTHROUGH;
      open_out->backing_id = (int32_t)node->backing;
    }
  }
  uint64_t fh = next_handle++ % HANDLES_MAX;
  handles[fh] = (struct handle){.node = id, .fd = fd};
  node->open_fd = fd;
  open_out->fh = fh;
  return sizeof *open_out;
}

static int create(const struct model_request *request, void *out, uint32_t *length) {
  const struct fuse_create_in *in = request->fixed;
  struct node *parent = &nodes[request->header->nodeid];
  struct stat st;
  if (fstatat(parent->fd, "", &st, AT_EMPTY_PATH) < 0) return -errno;
  int fd = openat(parent->fd, request->name, O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC, in->mode & 07777);
  if (fd < 0) return -errno;
  if (fchown(fd, owner_uid, owner_gid) < 0 || fstat(fd, &st) < 0) {
    close(fd);
    return -errno;
  }
  uint64_t id = remember(request->header->nodeid, request->name, &st);
  *length = entry(out, id, &st);
  *length += open_handle((char *)out + *length, id, fd);
  return 0;
}

static int make_directory(const struct model_request *request, void *out, uint32_t *length) {
  const struct fuse_mkdir_in *in = request->fixed;
  struct node *parent = &nodes[request->header->nodeid];
  struct stat st;
  if (fstatat(parent->fd, "", &st, AT_EMPTY_PATH) < 0) return -errno;
  if (mkdirat(parent->fd, request->name, in->mode & 07777) < 0) return -errno;
  if (fchownat(parent->fd, request->name, owner_uid, owner_gid, AT_SYMLINK_NOFOLLOW) < 0) return -errno;
  if (fstatat(parent->fd, request->name, &st, AT_SYMLINK_NOFOLLOW) < 0) return -errno;
  *length = entry(out, remember(request->header->nodeid, request->name, &st), &st);
  return 0;
}

// Changes an open file through its descriptor (what tar does), anything else by parent and name.
static int change(const struct fuse_setattr_in *in, int fd, struct node *node) {
  int directory = nodes[node->parent].fd;
  if (in->valid & FATTR_MODE) {
    if ((fd >= 0 ? fchmod(fd, in->mode & 07777) : fchmodat(directory, node->name, in->mode & 07777, 0)) < 0) return -errno;
  }
  if (in->valid & FATTR_SIZE) {
    if (fd < 0) return -ENOSYS;
    if (ftruncate(fd, (off_t)in->size) < 0) return -errno;
  }
  if (in->valid & (FATTR_ATIME | FATTR_MTIME)) {
    struct timespec times[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_nsec = UTIME_OMIT}};
    if (in->valid & FATTR_ATIME) times[0] = (struct timespec){(time_t)in->atime, in->valid & FATTR_ATIME_NOW ? UTIME_NOW : in->atimensec};
    if (in->valid & FATTR_MTIME) times[1] = (struct timespec){(time_t)in->mtime, in->valid & FATTR_MTIME_NOW ? UTIME_NOW : in->mtimensec};
    if ((fd >= 0 ? futimens(fd, times) : utimensat(directory, node->name, times, AT_SYMLINK_NOFOLLOW)) < 0) return -errno;
  }
  return 0;
}

static int set_attributes(const struct model_request *request, void *out, uint32_t *length) {
  const struct fuse_setattr_in *in = request->fixed;
  uint64_t id = request->header->nodeid;
  int fd = (in->valid & FATTR_FH) ? handles[in->fh % HANDLES_MAX].fd : nodes[id].open_fd;
  struct stat st;
  if (id == 1) return -EPERM;
  if (stat_node(id, &st) < 0) return -errno;
  int result = change(in, fd, &nodes[id]);
  if (result < 0) return result;
  if (stat_node(id, &st) < 0) return -errno;
  struct fuse_attr_out *attr_out = out;
  memset(attr_out, 0, sizeof *attr_out);
  attr_out->attr_valid = 5;
  fill_attr(&attr_out->attr, &st);
  *length = sizeof *attr_out;
  return 0;
}

static int open_file(const struct model_request *request, void *out, uint32_t *length) {
  struct node *node = &nodes[request->header->nodeid];
  if (node->fd >= 0) return -EISDIR;
  int fd = openat(nodes[node->parent].fd, node->name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return -errno;
  *length = open_handle(out, request->header->nodeid, fd);
  return 0;
}

static int release(const struct model_request *request) {
  const struct fuse_release_in *in = request->fixed;
  struct handle *handle = &handles[in->fh % HANDLES_MAX];
  struct node *node = &nodes[handle->node];
  if (node->backing_users > 0 && --node->backing_users == 0) {
    ioctl(device, MODEL_DEV_IOC_BACKING_CLOSE, &node->backing);
    node->backing = 0;
  }
  if (node->open_fd == handle->fd) node->open_fd = -1;
  close(handle->fd);
  handle->fd = -1;
  return 0;
}

// Answers one request: its payload goes to `out`, its length to `*length`; the result is 0, a
// negative errno, or 1 for a request that gets no answer (FORGET).
int model_serve(const struct model_request *request, void *out, uint32_t *length) {
  uint64_t id = request->header->nodeid;
  struct stat st;
  *length = 0;
  if (id >= node_count) return -ESTALE;
  pthread_mutex_lock(&table_lock);
  int result = 0;
  switch (request->header->opcode) {
    case FUSE_LOOKUP:
      if (fstatat(nodes[id].fd, "", &st, AT_EMPTY_PATH) < 0 || fstatat(nodes[id].fd, request->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        result = -errno;
      } else {
        *length = entry(out, remember(id, request->name, &st), &st);
      }
      break;
    case FUSE_GETATTR:
      if (stat_node(id, &st) < 0) {
        result = -errno;
      } else {
        struct fuse_attr_out *attr_out = out;
        memset(attr_out, 0, sizeof *attr_out);
        attr_out->attr_valid = 5;
        fill_attr(&attr_out->attr, &st);
        *length = sizeof *attr_out;
      }
      break;
    case FUSE_CREATE:
      result = create(request, out, length);
      break;
    case FUSE_MKDIR:
      result = make_directory(request, out, length);
      break;
    case FUSE_OPEN:
      result = open_file(request, out, length);
      break;
    case FUSE_SETATTR:
      result = set_attributes(request, out, length);
      break;
    case FUSE_GETXATTR: {
      int fd = nodes[id].open_fd;
      result = fd >= 0 ? (fgetxattr(fd, request->name, NULL, 0) < 0 ? -errno : -ENODATA) : -ENODATA;
      break;
    }
    case FUSE_FLUSH:
    case FUSE_ACCESS:
      break;
    case FUSE_RELEASE:
      result = release(request);
      break;
    case FUSE_FORGET:
    case FUSE_BATCH_FORGET:
    case FUSE_INTERRUPT:
      result = 1;
      break;
    default:
      result = -ENOSYS;
  }
  pthread_mutex_unlock(&table_lock);
  return result;
}

int model_init(const char *backing, uid_t uid, gid_t gid, int device_fd, int with_passthrough) {
  device = device_fd;
  owner_uid = uid;
  owner_gid = gid;
  passthrough = with_passthrough;
  struct stat st;
  nodes[1].fd = open(backing, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (nodes[1].fd < 0 || fstat(nodes[1].fd, &st) < 0) return -1;
  nodes[1].name = "";
  nodes[1].open_fd = -1;
  nodes[1].ino = st.st_ino;
  *slot_of(st.st_ino) = 1;
  return 0;
}
