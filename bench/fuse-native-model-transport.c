// How bench/fuse-native-model.c gets its requests: a thread per CPU reading /dev/fuse, or (with
// "uring") one FUSE-over-io_uring queue per possible CPU served by a thread pinned to that CPU,
// as bench/fuse-roundtrip-uring.c; after a request, a thread may keep polling for SPIN_US before it
// sleeps, as Moor's daemon does (with spinning on /dev/fuse, one thread only).
// Usage: fuse-native-model BACKING MOUNTPOINT UID GID classic|uring SPIN_US.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "fuse-native-model.h"

#define OVER_IO_URING_FLAG2 (1u << 9)
#define PASSTHROUGH_FLAG2 (1u << 5)
#define CMD_REGISTER 1
#define CMD_COMMIT_AND_FETCH 2
#define PAYLOAD_BYTES (1u << 20)
#define ENTRIES_PER_QUEUE 4
#define REQUEST_BYTES (PAYLOAD_BYTES + 8192)

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

struct ent_in_out {
  uint64_t flags, commit_id;
  uint32_t payload_sz, padding;
  uint64_t reserved;
};

struct req_header {
  char in_out[128];
  char op_in[128];
  struct ent_in_out ent;
};

struct cmd_req {
  uint64_t flags, commit_id;
  uint16_t qid;
  uint8_t padding[6];
};

struct entry {
  struct req_header header;
  char *payload;
  struct iovec iov[2];
};

static int device;
static int64_t spin_nanos;

static int64_t now_nanos(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/** Waits for the device to be readable: polling it until `deadline`, then asleep in poll(2). */
static void await_device(int64_t deadline) {
  if (now_nanos() < deadline) return;
  struct pollfd ready = {.fd = device, .events = POLLIN};
  poll(&ready, 1, -1);
}

/** The size of each opcode's fixed argument on /dev/fuse, where the name (if any) follows it. */
static size_t fixed_bytes(uint32_t opcode) {
  switch (opcode) {
    case FUSE_GETATTR: return sizeof(struct fuse_getattr_in);
    case FUSE_SETATTR: return sizeof(struct fuse_setattr_in);
    case FUSE_CREATE: return sizeof(struct fuse_create_in);
    case FUSE_MKDIR: return sizeof(struct fuse_mkdir_in);
    case FUSE_GETXATTR: return sizeof(struct fuse_getxattr_in);
    case FUSE_FLUSH: return sizeof(struct fuse_flush_in);
    case FUSE_RELEASE: return sizeof(struct fuse_release_in);
    case FUSE_OPEN: return sizeof(struct fuse_open_in);
    case FUSE_ACCESS: return sizeof(struct fuse_access_in);
    default: return 0;
  }
}

static void *classic(void *argument) {
  (void)argument;
  char *request = malloc(REQUEST_BYTES);
  char *reply = malloc(REQUEST_BYTES);
  int64_t deadline = 0;
  for (;;) {
    ssize_t bytes = read(device, request, REQUEST_BYTES);
    if (bytes < 0) {
      if (errno == EAGAIN) await_device(deadline);
      if (errno == EINTR || errno == EAGAIN || errno == ENOENT) continue;
      exit(0);  // ENODEV: unmounted
    }
    const struct fuse_in_header *in = (const struct fuse_in_header *)request;
    const char *body = request + sizeof *in;
    struct model_request parsed = {.header = in, .fixed = body, .name = body + fixed_bytes(in->opcode)};
    uint32_t length = 0;
    struct fuse_out_header *out = (struct fuse_out_header *)reply;
    int result = in->opcode == FUSE_DESTROY ? 0 : model_serve(&parsed, reply + sizeof *out, &length);
    if (result == 1) continue;
    out->len = (uint32_t)(sizeof *out + (result < 0 ? 0 : length));
    out->error = result < 0 ? result : 0;
    out->unique = in->unique;
    if (write(device, reply, out->len) < 0 && errno != ENOENT) perror("fuse-native-model: write");
    deadline = now_nanos() + spin_nanos;
  }
  return NULL;
}

static void submit(struct io_uring *ring, struct entry *entry, int command, uint16_t qid) {
  static const char zeros[128];
  struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
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
  if (io_uring_queue_init(16, &ring, IORING_SETUP_SQE128) < 0) exit(1);
  struct entry *entries = calloc(ENTRIES_PER_QUEUE, sizeof *entries);
  char *reply = malloc(PAYLOAD_BYTES);
  for (int index = 0; index < ENTRIES_PER_QUEUE; index += 1) {
    struct entry *entry = &entries[index];
    entry->payload = aligned_alloc(4096, PAYLOAD_BYTES);
    entry->iov[0] = (struct iovec){&entry->header, sizeof entry->header};
    entry->iov[1] = (struct iovec){entry->payload, PAYLOAD_BYTES};
    submit(&ring, entry, CMD_REGISTER, qid);
  }
  io_uring_submit(&ring);
  int64_t deadline = 0;
  for (;;) {
    struct io_uring_cqe *cqe;
    while (io_uring_peek_cqe(&ring, &cqe) != 0 && now_nanos() < deadline) continue;
    if (io_uring_wait_cqe(&ring, &cqe) < 0) continue;
    struct entry *entry = (struct entry *)(uintptr_t)cqe->user_data;
    int status = cqe->res;
    io_uring_cqe_seen(&ring, cqe);
    if (status < 0) exit(0);
    const struct fuse_in_header *in = (const struct fuse_in_header *)entry->header.in_out;
    struct model_request parsed = {.header = in, .fixed = entry->header.op_in, .name = entry->payload};
    uint32_t length = 0;
    int result = model_serve(&parsed, reply, &length);
    struct fuse_out_header *out = (struct fuse_out_header *)entry->header.in_out;
    uint64_t unique = in->unique;
    if (result > 0) result = 0;
    if (result == 0 && length) memcpy(entry->payload, reply, length);
    memset(out, 0, sizeof *out);
    out->len = (uint32_t)(sizeof *out + (result < 0 ? 0 : length));
    out->error = result;
    out->unique = unique;
    entry->header.ent.payload_sz = result < 0 ? 0 : length;
    submit(&ring, entry, CMD_COMMIT_AND_FETCH, qid);
    io_uring_submit(&ring);
    deadline = now_nanos() + spin_nanos;
  }
  return NULL;
}

static int answer_init(int uring) {
  char request[8192];
  ssize_t bytes = read(device, request, sizeof request);
  const struct fuse_in_header *in = (const struct fuse_in_header *)request;
  if (bytes < (ssize_t)(sizeof *in + sizeof(struct init_in)) || in->opcode != FUSE_INIT) return -1;
  const struct init_in *offer = (const struct init_in *)(request + sizeof *in);
  uint32_t offered2 = offer->flags & FUSE_INIT_EXT ? offer->flags2 : 0;
  if (uring && !(offered2 & OVER_IO_URING_FLAG2)) {
    fprintf(stderr, "fuse-native-model: the kernel does not offer FUSE over io_uring (enable_uring)\n");
    return -1;
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
  out->flags = offer->flags & (FUSE_ASYNC_READ | FUSE_ATOMIC_O_TRUNC | FUSE_BIG_WRITES | FUSE_MAX_PAGES | FUSE_PARALLEL_DIROPS |
                               FUSE_HANDLE_KILLPRIV_V2 | FUSE_INIT_EXT);
  out->flags2 = offered2 & (PASSTHROUGH_FLAG2 | (uring ? OVER_IO_URING_FLAG2 : 0));
  out->max_stack_depth = out->flags2 & PASSTHROUGH_FLAG2 ? 1 : 0;
  out->max_write = PAYLOAD_BYTES;
  out->max_pages = PAYLOAD_BYTES / 4096;
  out->time_gran = 1;
  out->max_background = 64;
  out->congestion_threshold = 48;
  if (write(device, message, sizeof message) < 0) return -1;
  return (out->flags2 & PASSTHROUGH_FLAG2) != 0;
}

int main(int argc, char **argv) {
  if (argc != 7 || (strcmp(argv[5], "uring") != 0 && strcmp(argv[5], "classic") != 0)) {
    fprintf(stderr, "usage: %s BACKING MOUNTPOINT UID GID classic|uring SPIN_US\n", argv[0]);
    return 2;
  }
  int uring = strcmp(argv[5], "uring") == 0;
  spin_nanos = (int64_t)atoi(argv[6]) * 1000;
  device = open("/dev/fuse", O_RDWR | O_CLOEXEC);
  char options[200];
  snprintf(options, sizeof options, "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", device);
  if (device < 0 || mount("moor-model", argv[2], "fuse.moor-model", MS_NODEV | MS_NOSUID, options) < 0) {
    perror("fuse-native-model: mount");
    return 1;
  }
  int passthrough = answer_init(uring);
  if (passthrough < 0 || model_init(argv[1], (uid_t)atoi(argv[3]), (gid_t)atoi(argv[4]), device, passthrough) < 0) {
    fprintf(stderr, "fuse-native-model: start failed\n");
    return 1;
  }
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
  long cpus = sysconf(_SC_NPROCESSORS_CONF);
  if (!uring && spin_nanos > 0) {
    fcntl(device, F_SETFL, O_NONBLOCK);
    cpus = 0;  // one spinning reader, as Moor's daemon
  }
  for (long cpu = 0; cpu < cpus; cpu += 1) {
    pthread_t thread;
    pthread_create(&thread, NULL, uring ? queue : classic, (void *)(uintptr_t)cpu);
  }
  // With io_uring, what never comes through the rings (FORGET, INTERRUPT) still arrives here.
  classic(NULL);
  return 0;
}
