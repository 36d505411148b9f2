// The cheapest possible FUSE daemon over io_uring, for bench/fuse-roundtrip.ts: as
// fuse-roundtrip.c (answers INIT, GETATTR of the root and ACCESS at once, ENOSYS otherwise), but
// it takes requests from one io_uring queue per possible CPU, each served by a thread pinned to
// that CPU, so a request is answered on the vCPU of the process that made it. /dev/fuse stays
// open for what never goes through the rings (FORGET, INTERRUPT).
// Needs /sys/module/fuse/parameters/enable_uring = Y before mounting (the caller sets it) and
// liburing. Usage: fuse-roundtrip-uring MOUNTPOINT; prints the server's pid, as fuse-roundtrip.c.
// The kernel side: Documentation/filesystems/fuse-io-uring.rst; the structures below are those
// of include/uapi/linux/fuse.h (7.42+), written out because Debian 12's headers predate them.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <linux/fuse.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/uio.h>
#include <unistd.h>

#define OVER_IO_URING_FLAG2 (1u << 9) /* FUSE_OVER_IO_URING is bit 41 */
#define INIT_EXT (1u << 30)
#define CMD_REGISTER 1
#define CMD_COMMIT_AND_FETCH 2
#define PAYLOAD_BYTES (1u << 20)
#define ENTRIES_PER_QUEUE 2

struct ent_in_out {
  uint64_t flags;
  uint64_t commit_id;
  uint32_t payload_sz;
  uint32_t padding;
  uint64_t reserved;
};

struct req_header {
  char in_out[128];
  char op_in[128];
  struct ent_in_out ent;
};

struct cmd_req {
  uint64_t flags;
  uint64_t commit_id;
  uint16_t qid;
  uint8_t padding[6];
};

struct init_in {
  uint32_t major, minor, max_readahead, flags, flags2, unused[11];
};

struct init_out {
  uint32_t major, minor, max_readahead, flags;
  uint16_t max_background, congestion_threshold;
  uint32_t max_write, time_gran;
  uint16_t max_pages, map_alignment;
  uint32_t flags2, max_stack_depth;
  uint16_t request_timeout;
  uint16_t unused[11];
};

struct entry {
  struct req_header header;
  char *payload;
  struct iovec iov[2];
};

static int device;

// Answers one request into the entry's buffers: the payload size, and the error in the header.
static uint32_t serve(struct entry *entry) {
  const struct fuse_in_header *in = (const struct fuse_in_header *)entry->header.in_out;
  struct fuse_out_header *out = (struct fuse_out_header *)entry->header.in_out;
  uint64_t unique = in->unique;
  uint32_t opcode = in->opcode;
  uint32_t length = 0;
  int error = 0;
  if (opcode == FUSE_GETATTR) {
    struct fuse_attr_out *attr = (struct fuse_attr_out *)entry->payload;
    memset(attr, 0, sizeof *attr);
    attr->attr.ino = 1;
    attr->attr.mode = 040777;
    attr->attr.nlink = 2;
    length = sizeof *attr;
  } else if (opcode != FUSE_ACCESS) {
    error = -ENOSYS;
  }
  memset(out, 0, sizeof *out);
  out->len = (uint32_t)(sizeof *out + length);
  out->error = error;
  out->unique = unique;
  return length;
}

static void submit(struct io_uring *ring, struct entry *entry, int command, uint16_t qid) {
  static const char zeros[128];
  struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
  // A 128-byte entry (IORING_SETUP_SQE128): the command lives in the second half.
  memcpy((void *)(uintptr_t)sqe, zeros, sizeof zeros);
  sqe->opcode = IORING_OP_URING_CMD;
  sqe->fd = device;
  sqe->cmd_op = command;
  sqe->user_data = (uint64_t)(uintptr_t)entry;
  struct cmd_req *request = (struct cmd_req *)sqe->cmd;
  request->qid = qid;
  if (command == CMD_REGISTER) {
    sqe->addr = (uint64_t)(uintptr_t)entry->iov;
    sqe->len = 2;
  } else {
    request->commit_id = entry->header.ent.commit_id;
  }
}

static void *queue(void *argument) {
  uint16_t qid = (uint16_t)(uintptr_t)argument;
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  CPU_SET(qid, &cpus);
  pthread_setaffinity_np(pthread_self(), sizeof cpus, &cpus);
  struct io_uring ring;
  if (io_uring_queue_init(8, &ring, IORING_SETUP_SQE128) < 0) {
    perror("fuse-roundtrip-uring: io_uring_queue_init");
    exit(1);
  }
  struct entry *entries = calloc(ENTRIES_PER_QUEUE, sizeof *entries);
  for (int index = 0; index < ENTRIES_PER_QUEUE; index += 1) {
    struct entry *entry = &entries[index];
    entry->payload = aligned_alloc(4096, PAYLOAD_BYTES);
    entry->iov[0] = (struct iovec){&entry->header, sizeof entry->header};
    entry->iov[1] = (struct iovec){entry->payload, PAYLOAD_BYTES};
    submit(&ring, entry, CMD_REGISTER, qid);
  }
  io_uring_submit(&ring);
  for (;;) {
    struct io_uring_cqe *cqe;
    if (io_uring_wait_cqe(&ring, &cqe) < 0) continue;
    struct entry *entry = (struct entry *)(uintptr_t)cqe->user_data;
    int result = cqe->res;
    io_uring_cqe_seen(&ring, cqe);
    if (result < 0) exit(0);  // ENOTCONN: unmounted
    entry->header.ent.payload_sz = serve(entry);
    submit(&ring, entry, CMD_COMMIT_AND_FETCH, qid);
    io_uring_submit(&ring);
  }
  return NULL;
}

static char request[(1 << 20) + 8192];

static void answer_init(const struct fuse_in_header *in, const struct init_in *offer) {
  if (!(offer->flags & INIT_EXT) || !(offer->flags2 & OVER_IO_URING_FLAG2)) {
    fprintf(stderr, "fuse-roundtrip-uring: the kernel does not offer FUSE over io_uring (enable_uring)\n");
    exit(1);
  }
  char message[sizeof(struct fuse_out_header) + sizeof(struct init_out)];
  memset(message, 0, sizeof message);
  struct fuse_out_header *header = (struct fuse_out_header *)message;
  struct init_out *out = (struct init_out *)(message + sizeof *header);
  header->len = sizeof message;
  header->unique = in->unique;
  out->major = FUSE_KERNEL_VERSION;
  out->minor = 45;
  out->max_readahead = offer->max_readahead;
  out->flags = INIT_EXT | FUSE_MAX_PAGES;
  out->flags2 = OVER_IO_URING_FLAG2;
  out->max_write = PAYLOAD_BYTES;
  out->max_pages = PAYLOAD_BYTES / 4096;
  out->time_gran = 1;
  if (write(device, message, sizeof message) < 0) perror("fuse-roundtrip-uring: INIT reply");
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s MOUNTPOINT\n", argv[0]);
    return 2;
  }
  device = open("/dev/fuse", O_RDWR | O_CLOEXEC);
  if (device < 0) {
    perror("fuse-roundtrip-uring: /dev/fuse");
    return 1;
  }
  char options[160];
  snprintf(options, sizeof options, "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", device);
  if (mount("moor-roundtrip", argv[1], "fuse.moor-roundtrip", 0, options) < 0) {
    perror("fuse-roundtrip-uring: mount");
    return 1;
  }
  ssize_t bytes = read(device, request, sizeof request);
  const struct fuse_in_header *in = (const struct fuse_in_header *)request;
  if (bytes < (ssize_t)(sizeof *in + sizeof(struct init_in)) || in->opcode != FUSE_INIT) {
    fprintf(stderr, "fuse-roundtrip-uring: no INIT request\n");
    return 1;
  }
  answer_init(in, (const struct init_in *)(request + sizeof *in));
  pid_t child = fork();
  if (child != 0) {
    printf("%d\n", (int)child);
    return 0;
  }
  int quiet = open("/dev/null", O_RDWR);
  if (quiet >= 0) {
    dup2(quiet, 0);
    dup2(quiet, 1);
    dup2(quiet, 2);
    if (quiet > 2) close(quiet);
  }
  setsid();
  long possible = sysconf(_SC_NPROCESSORS_CONF);
  for (long cpu = 0; cpu < possible; cpu += 1) {
    pthread_t thread;
    pthread_create(&thread, NULL, queue, (void *)(uintptr_t)cpu);
  }
  // What never comes through the rings (FORGET, INTERRUPT) still arrives here.
  for (;;) {
    bytes = read(device, request, sizeof request);
    if (bytes < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == ENOENT) continue;
      return 0;
    }
    in = (const struct fuse_in_header *)request;
    if (in->opcode == FUSE_FORGET || in->opcode == FUSE_BATCH_FORGET || in->opcode == FUSE_INTERRUPT) continue;
    struct fuse_out_header out = {.len = sizeof out, .error = in->opcode == FUSE_DESTROY ? 0 : -ENOSYS, .unique = in->unique};
    if (write(device, &out, sizeof out) < 0 && errno != ENOENT) perror("fuse-roundtrip-uring: write");
  }
}
