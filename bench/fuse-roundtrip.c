// The cheapest possible FUSE daemon, for bench/fuse-roundtrip.ts: it answers INIT, GETATTR of the
// root directory and ACCESS (always allowed) at once and refuses everything else with ENOSYS, so
// timing access(2) on its mount measures the kernel's request round trip and nothing else.
// Usage: fuse-roundtrip MOUNTPOINT [poll]. Mounts, prints the pid of the child process that then
// serves until unmounted: sleeping in read(2) between requests, or with "poll" reading a
// non-blocking device in a loop (one CPU kept busy for as long as it is mounted: for measuring only).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static char request[(1 << 20) + 8192];

static void answer(int device, uint64_t unique, int error, const void *payload, size_t length) {
  char message[sizeof(struct fuse_out_header) + 256];
  struct fuse_out_header *header = (struct fuse_out_header *)message;
  header->len = (uint32_t)(sizeof *header + length);
  header->error = error;
  header->unique = unique;
  if (length) memcpy(message + sizeof *header, payload, length);
  if (write(device, message, header->len) < 0 && errno != ENOENT) perror("fuse-roundtrip: write");
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "poll") != 0)) {
    fprintf(stderr, "usage: %s MOUNTPOINT [poll]\n", argv[0]);
    return 2;
  }
  int poll = argc == 3;
  int device = open("/dev/fuse", O_RDWR | O_CLOEXEC | (poll ? O_NONBLOCK : 0));
  if (device < 0) {
    perror("fuse-roundtrip: /dev/fuse");
    return 1;
  }
  char options[160];
  snprintf(options, sizeof options, "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", device);
  if (mount("moor-roundtrip", argv[1], "fuse.moor-roundtrip", 0, options) < 0) {
    perror("fuse-roundtrip: mount");
    return 1;
  }
  pid_t child = fork();
  if (child != 0) {
    // The caller pins the server to CPUs by this pid.
    printf("%d\n", (int)child);
    return 0;
  }
  // Let the caller's pipes close: it waits for them, not for this process.
  int quiet = open("/dev/null", O_RDWR);
  if (quiet >= 0) {
    dup2(quiet, 0);
    dup2(quiet, 1);
    dup2(quiet, 2);
    if (quiet > 2) close(quiet);
  }
  setsid();
  for (;;) {
    ssize_t bytes = read(device, request, sizeof request);
    if (bytes < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == ENOENT) continue;
      return 0;  // ENODEV: unmounted
    }
    const struct fuse_in_header *in = (const struct fuse_in_header *)request;
    switch (in->opcode) {
      case FUSE_INIT: {
        struct fuse_init_out out;
        memset(&out, 0, sizeof out);
        out.major = FUSE_KERNEL_VERSION;
        out.minor = 31;
        out.max_write = 1 << 20;
        out.max_readahead = 1 << 20;
        answer(device, in->unique, 0, &out, sizeof out);
        break;
      }
      case FUSE_GETATTR: {
        struct fuse_attr_out out;
        memset(&out, 0, sizeof out);
        out.attr.ino = 1;
        out.attr.mode = 040777;
        out.attr.nlink = 2;
        answer(device, in->unique, 0, &out, sizeof out);
        break;
      }
      case FUSE_ACCESS:
      case FUSE_DESTROY:
        answer(device, in->unique, 0, NULL, 0);
        break;
      case FUSE_FORGET:
      case FUSE_BATCH_FORGET:
        break;
      default:
        answer(device, in->unique, -ENOSYS, NULL, 0);
    }
  }
}
