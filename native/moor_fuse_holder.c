// moor_fuse_holder: keeps the /dev/fuse descriptor of each Moor FUSE mount open, so that the
// kernel connection outlives the daemon serving it. While a descriptor stays open somewhere the
// kernel keeps the mount alive and queues callers' requests; a new daemon takes the descriptor
// back and serves them. Usage: moor_fuse_holder <socket path> <bound in ms> [<state directory>]
// (the last only names the process, for `moor down --all`).
//
// One line-based request per line on a Unix stream socket (root only):
//   hold <key> <pid> <fd>   the caller's descriptor <fd> (taken with pidfd_getfd) is kept under
//                           <key>, owned by this connection        -> "ok" | "error <errno>"
//   take <key>              ownership moves to this connection       -> "fd <pid> <fd>" | "none"
//                           (the caller takes <fd> of <pid> with pidfd_getfd)
//   drop <key>              the descriptor is closed                 -> "ok"
// When a connection closes (its daemon died), the descriptors it owned wait <bound> ms for a new
// owner; then they are closed, the connection aborts, and callers get ENOTCONN instead of
// waiting forever. A descriptor whose connection ended (unmounted) is closed at once. The holder
// ends when it holds nothing and no one is connected.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_HELD 1024
#define MAX_CLIENTS 64
#define KEY_MAX 512
#define LINE_MAX_BYTES 1024
#define IDLE_GRACE_MS 5000

struct held {
  char key[KEY_MAX];
  int fd;
  int owner;          // client slot, or -1 when orphaned
  long long deadline; // ms, when orphaned
};

struct client {
  int fd;
  char line[LINE_MAX_BYTES];
  size_t used;
};

static struct held held[MAX_HELD];
static int held_count;
static struct client clients[MAX_CLIENTS];
static long long bound_ms;

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void release(int index) {
  close(held[index].fd);
  held[index] = held[--held_count];
}

static int find(const char *key) {
  for (int i = 0; i < held_count; i++)
    if (strcmp(held[i].key, key) == 0) return i;
  return -1;
}

static int grab(int pid, int fd) {
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pidfd < 0) return -errno;
  int got = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
  int saved = errno;
  close(pidfd);
  return got < 0 ? -saved : got;
}

static void reply(int fd, const char *text) {
  size_t length = strlen(text);
  if (write(fd, text, length) != (ssize_t)length) { /* the client went away: its close is seen */ }
}

static void serve_line(int slot, char *line) {
  char verb[8], key[KEY_MAX], out[64];
  int pid, fd;
  if (sscanf(line, "hold %511s %d %d", key, &pid, &fd) == 3) {
    int got = grab(pid, fd);
    if (got < 0) {
      snprintf(out, sizeof out, "error %d\n", -got);
      return reply(clients[slot].fd, out);
    }
    int index = find(key);
    if (index >= 0) release(index);
    if (held_count == MAX_HELD) {
      close(got);
      return reply(clients[slot].fd, "error 24\n");
    }
    snprintf(held[held_count].key, KEY_MAX, "%s", key);
    held[held_count].fd = got;
    held[held_count].owner = slot;
    held_count++;
    return reply(clients[slot].fd, "ok\n");
  }
  if (sscanf(line, "%7s %511s", verb, key) != 2) return reply(clients[slot].fd, "error 22\n");
  int index = find(key);
  if (strcmp(verb, "take") == 0) {
    if (index < 0) return reply(clients[slot].fd, "none\n");
    held[index].owner = slot;
    snprintf(out, sizeof out, "fd %d %d\n", (int)getpid(), held[index].fd);
    return reply(clients[slot].fd, out);
  }
  if (strcmp(verb, "drop") == 0) {
    if (index >= 0) release(index);
    return reply(clients[slot].fd, "ok\n");
  }
  reply(clients[slot].fd, "error 22\n");
}

static void disconnect(int slot) {
  close(clients[slot].fd);
  clients[slot].fd = -1;
  for (int i = 0; i < held_count; i++) {
    if (held[i].owner != slot) continue;
    held[i].owner = -1;
    held[i].deadline = now_ms() + bound_ms;
  }
}

static void receive(int slot) {
  struct client *client = &clients[slot];
  ssize_t got = read(client->fd, client->line + client->used, LINE_MAX_BYTES - 1 - client->used);
  if (got <= 0) return disconnect(slot);
  client->used += (size_t)got;
  char *start = client->line;
  char *end;
  while ((end = memchr(start, '\n', client->used - (size_t)(start - client->line))) != NULL) {
    *end = 0;
    serve_line(slot, start);
    start = end + 1;
  }
  client->used -= (size_t)(start - client->line);
  memmove(client->line, start, client->used);
  if (client->used == LINE_MAX_BYTES - 1) disconnect(slot);
}

static void accept_client(int listener) {
  int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0) return;
  for (int slot = 0; slot < MAX_CLIENTS; slot++) {
    if (clients[slot].fd >= 0) continue;
    clients[slot].fd = fd;
    clients[slot].used = 0;
    return;
  }
  close(fd);
}

static int listen_at(const char *path) {
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof address.sun_path) return -1;
  strcpy(address.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  // Another holder listening already wins: this one ends.
  if (connect(fd, (struct sockaddr *)&address, sizeof address) == 0) {
    close(fd);
    return -2;
  }
  unlink(path);
  umask(077);
  if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0 || listen(fd, 16) < 0) return -1;
  return fd;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: moor_fuse_holder <socket path> <bound ms> [<state directory>]\n");
    return 2;
  }
  bound_ms = atoll(argv[2]);
  signal(SIGPIPE, SIG_IGN);
  int listener = listen_at(argv[1]);
  if (listener == -2) return 0;
  if (listener < 0) {
    perror("moor_fuse_holder: listen");
    return 1;
  }
  for (int slot = 0; slot < MAX_CLIENTS; slot++) clients[slot].fd = -1;
  long long idle_since = now_ms();
  long long checked = 0;
  struct pollfd polls[1 + MAX_CLIENTS];
  struct pollfd ended[MAX_HELD];
  for (;;) {
    int clients_open = 0;
    polls[0] = (struct pollfd){.fd = listener, .events = POLLIN};
    for (int slot = 0; slot < MAX_CLIENTS; slot++) {
      polls[1 + slot] = (struct pollfd){.fd = clients[slot].fd, .events = POLLIN};
      if (clients[slot].fd >= 0) clients_open++;
    }
    long long now = now_ms();
    if (held_count == 0 && clients_open == 0 && now - idle_since > IDLE_GRACE_MS) break;
    if (held_count > 0 || clients_open > 0) idle_since = now;
    if (poll(polls, 1 + MAX_CLIENTS, 100) < 0 && errno != EINTR) break;
    if (polls[0].revents & POLLIN) accept_client(listener);
    for (int slot = 0; slot < MAX_CLIENTS; slot++)
      if (clients[slot].fd >= 0 && (polls[1 + slot].revents & (POLLIN | POLLHUP | POLLERR))) receive(slot);
    now = now_ms();
    for (int i = held_count - 1; i >= 0; i--)
      if (held[i].owner < 0 && now >= held[i].deadline) release(i);
    if (now - checked < 1000) continue;
    // Once a second, without waiting (a zero timeout registers on no wait queue, so requests on
    // the held connections never wake this process): a connection that ended (unmounted,
    // aborted) polls as an error, and its descriptor is closed.
    checked = now;
    for (int i = 0; i < held_count; i++) ended[i] = (struct pollfd){.fd = held[i].fd, .events = 0};
    int count = held_count;
    if (poll(ended, (nfds_t)count, 0) <= 0) continue;
    for (int i = count - 1; i >= 0; i--)
      if (ended[i].revents & (POLLERR | POLLHUP)) release(i);
  }
  unlink(argv[1]);
  return 0;
}
