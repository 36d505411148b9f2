// What bench/fuse-native-model.c (the requests) and fuse-native-model-transport.c (/dev/fuse or
// io_uring) share, and the 6.18 UAPI definitions Debian 12's headers lack.
#pragma once
#include <linux/fuse.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/types.h>

struct model_request {
  const struct fuse_in_header *header;
  /** The opcode's fixed argument (fuse_create_in, ...). */
  const void *fixed;
  /** The name that follows it, when the opcode has one. */
  const char *name;
};

struct model_open_out {
  uint64_t fh;
  uint32_t open_flags;
  int32_t backing_id;
};

struct model_backing_map {
  int32_t fd;
  uint32_t flags;
  uint64_t padding;
};

#define MODEL_DEV_IOC_BACKING_OPEN _IOW(229, 1, struct model_backing_map)
#define MODEL_DEV_IOC_BACKING_CLOSE _IOW(229, 2, uint32_t)
#define MODEL_FOPEN_PASSTHROUGH (1u << 7)

int model_init(const char *backing, uid_t uid, gid_t gid, int device_fd, int with_passthrough);
int model_serve(const struct model_request *request, void *out, uint32_t *length);
