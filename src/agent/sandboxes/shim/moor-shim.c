// moor-shim: the small per-container monitor of Moor's node agent, plus two helpers.
//
// Why C: one monitor lives beside every running container for its whole life, so it must cost
// next to nothing (about 1 MB) and must not depend on the agent: a container's processes and
// logs survive a restart of the agent because this process, not the agent, holds the
// container's output pipes and reaps it.
//
//   moor-shim run <dir> <runc> <runc-root> <id> <bundle> <log> <log-max-bytes> <log-files>
//     Starts the container with `runc run -d`, becomes its subreaper, writes its stdout and
//     stderr to <log> in the CRI format ("<RFC3339Nano> stdout F <line>"), rotating at
//     <log-max-bytes> and keeping <log-files> files, and when it exits writes <dir>/exit
//     ("<code> <signal> <finished-ns>"). Tells the caller on fd 1 "ok <pid>" or "error <code>".
//   moor-shim tty <columns> <rows> <command...>
//     Runs the command on a new pseudo-terminal, copies fd 0 to it and it to fd 1, and reads
//     "<columns> <rows>" lines on fd 3 to resize it. Exits with the command's status.
//   moor-shim whiteouts <dir>
//     Turns the OCI whiteout files of an unpacked layer into overlayfs whiteouts.
//   moor-shim connect <netns> <ipv4> <port> <timeout-ms> [relay]
//     Connects from inside a network namespace (pod addresses exist only there), for probes:
//     exits 0 once connected, or with "relay" copies fd 0 to the socket and the socket to fd 1.
//   moor-shim attach <pid> <host-path> <path>
//     Puts a copy of the mount at <host-path> (a volume the mount engine made) onto <path> as
//     seen by the container whose process is <pid>, in its mount namespace, as a slave of the
//     host's mount: a mount made over <host-path> later (a repaired FUSE mount) reaches it too.
//     <path> is resolved inside the container's root, so its symbolic links stay inside it.
//   moor-shim detach <pid> <path>
//     Unmounts <path> in that container's mount namespace (lazily: a busy mount goes when free).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 16384

struct stream {
  int fd;
  const char *name;
  char pending[LINE_MAX_BYTES];
  size_t length;
};

static const char *log_path;
static long long log_max_bytes;
static int log_files;
static int log_fd = -1;
static long long log_size;

static void die(const char *what) {
  fprintf(stderr, "moor-shim: %s: %s\n", what, strerror(errno));
  exit(125);
}

static void open_log(void) {
  log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (log_fd < 0) die("open log");
  struct stat st;
  log_size = fstat(log_fd, &st) == 0 ? st.st_size : 0;
}

// Rotation keeps <log>.1 .. <log>.<files-1>; the oldest is dropped.
static void rotate_log(void) {
  char from[4096], to[4096];
  close(log_fd);
  for (int index = log_files - 1; index >= 1; index--) {
    if (index == 1) snprintf(from, sizeof from, "%s", log_path);
    else snprintf(from, sizeof from, "%s.%d", log_path, index - 1);
    snprintf(to, sizeof to, "%s.%d", log_path, index);
    rename(from, to);
  }
  if (log_files <= 1) unlink(log_path);
  open_log();
}

static void write_all(int fd, const char *data, size_t length) {
  while (length > 0) {
    ssize_t written = write(fd, data, length);
    if (written < 0) {
      if (errno == EINTR) continue;
      return;
    }
    data += written;
    length -= (size_t)written;
  }
}

static void write_entry(const char *stream, char tag, const char *text, size_t length) {
  struct timespec now;
  struct tm utc;
  char head[96];
  clock_gettime(CLOCK_REALTIME, &now);
  gmtime_r(&now.tv_sec, &utc);
  int head_length = (int)strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &utc);
  head_length += snprintf(head + head_length, sizeof head - head_length, ".%09ldZ %s %c ", now.tv_nsec, stream, tag);
  long long entry_size = head_length + (long long)length + 1;
  if (log_max_bytes > 0 && log_size > 0 && log_size + entry_size > log_max_bytes) rotate_log();
  struct iovec parts[3] = {{head, (size_t)head_length}, {(void *)text, length}, {"\n", 1}};
  while (writev(log_fd, parts, 3) < 0 && errno == EINTR) {
  }
  log_size += entry_size;
}

// Reads what is there; returns 0 at end of stream.
static int pump(struct stream *stream) {
  ssize_t count = read(stream->fd, stream->pending + stream->length, sizeof stream->pending - stream->length);
  if (count < 0) return errno == EINTR || errno == EAGAIN;
  if (count == 0) {
    if (stream->length > 0) write_entry(stream->name, 'F', stream->pending, stream->length);
    stream->length = 0;
    return 0;
  }
  stream->length += (size_t)count;
  size_t start = 0;
  for (size_t index = 0; index < stream->length; index++) {
    if (stream->pending[index] != '\n') continue;
    write_entry(stream->name, 'F', stream->pending + start, index - start);
    start = index + 1;
  }
  if (start == 0 && stream->length == sizeof stream->pending) {
    write_entry(stream->name, 'P', stream->pending, stream->length);
    start = stream->length;
  }
  memmove(stream->pending, stream->pending + start, stream->length - start);
  stream->length -= start;
  return 1;
}

static int read_pid(const char *path) {
  FILE *file = fopen(path, "r");
  int pid = 0;
  if (!file) return 0;
  if (fscanf(file, "%d", &pid) != 1) pid = 0;
  fclose(file);
  return pid;
}

static int command_run(char **argv) {
  const char *dir = argv[0], *runc = argv[1], *root = argv[2], *id = argv[3], *bundle = argv[4];
  log_path = argv[5];
  log_max_bytes = atoll(argv[6]);
  log_files = atoi(argv[7]);
  char pid_path[4096], exit_path[4096], exit_temp[4096], runc_log[4096], bundle_config[4096];
  snprintf(pid_path, sizeof pid_path, "%s/pid", dir);
  snprintf(exit_path, sizeof exit_path, "%s/exit", dir);
  snprintf(exit_temp, sizeof exit_temp, "%s/exit.tmp", dir);
  snprintf(runc_log, sizeof runc_log, "%s/runc.log", dir);
  snprintf(bundle_config, sizeof bundle_config, "%s/config.json", bundle);
  setsid();
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) die("become subreaper");
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int signals = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) die("make pipes");
  open_log();
  pid_t starter = fork();
  if (starter < 0) die("fork");
  if (starter == 0) {
    int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    sigprocmask(SIG_UNBLOCK, &mask, NULL);
    execl(runc, runc, "--root", root, "--log", runc_log, "--log-format", "json", "run", "-d", "--pid-file", pid_path,
          "--bundle", bundle, id, (char *)NULL);
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  int status = 0;
  while (waitpid(starter, &status, 0) < 0 && errno == EINTR) {
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  pid_t container = code == 0 ? read_pid(pid_path) : 0;
  if (container <= 0) {
    dprintf(1, "error %d\n", code);
    return 1;
  }
  dprintf(1, "ok %d\n", container);
  int null = open("/dev/null", O_RDWR);
  dup2(null, 0);
  dup2(null, 1);
  dup2(null, 2);
  struct stream streams[2] = {{out[0], "stdout", {0}, 0}, {err[0], "stderr", {0}, 0}};
  int open_streams = 2, exited = 0, exit_code = 0, exit_signal = 0;
  while (open_streams > 0 || !exited) {
    struct pollfd polls[3] = {{signals, POLLIN, 0}, {streams[0].fd, POLLIN, 0}, {streams[1].fd, POLLIN, 0}};
    // Once the container is gone, whatever still holds its pipes gets a short grace, no more.
    int ready = poll(polls, 3, exited ? 500 : 2000);
    if (ready == 0 && exited) break;
    // Its bundle gone (the data directory was deleted under a running Moor; mount points may
    // keep the directories): nobody can ever ask for this container again, so it must go.
    if (ready == 0 && !exited && access(bundle_config, F_OK) != 0 && errno == ENOENT) kill(container, SIGKILL);
    if (ready <= 0) continue;
    if (polls[0].revents) {
      struct signalfd_siginfo info;
      while (read(signals, &info, sizeof info) > 0) {
      }
      pid_t child;
      while ((child = waitpid(-1, &status, WNOHANG)) > 0) {
        if (child != container) continue;
        exited = 1;
        exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        exit_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
      }
    }
    for (int index = 0; index < 2; index++) {
      if (streams[index].fd < 0 || !(polls[index + 1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (!pump(&streams[index])) {
        close(streams[index].fd);
        streams[index].fd = -1;
        open_streams--;
      }
    }
  }
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  FILE *file = fopen(exit_temp, "w");
  if (!file) die("write exit file");
  fprintf(file, "%d %d %lld\n", exit_code, exit_signal, (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
  fclose(file);
  rename(exit_temp, exit_path);
  return 0;
}

static int command_tty(char **argv) {
  struct winsize size = {.ws_col = (unsigned short)atoi(argv[0]), .ws_row = (unsigned short)atoi(argv[1])};
  int master;
  pid_t child = forkpty(&master, NULL, NULL, &size);
  if (child < 0) die("open a terminal");
  if (child == 0) {
    execvp(argv[2], argv + 2);
    _exit(127);
  }
  int input_open = 1, control_open = fcntl(3, F_GETFD) >= 0;
  char buffer[65536];
  for (;;) {
    struct pollfd polls[3] = {{master, POLLIN, 0}, {input_open ? 0 : -1, POLLIN, 0}, {control_open ? 3 : -1, POLLIN, 0}};
    if (poll(polls, 3, -1) < 0 && errno != EINTR) break;
    if (polls[0].revents) {
      ssize_t count = read(master, buffer, sizeof buffer);
      if (count <= 0) break;
      write_all(1, buffer, (size_t)count);
    }
    if (polls[1].revents) {
      ssize_t count = read(0, buffer, sizeof buffer);
      if (count <= 0) input_open = 0;
      else write_all(master, buffer, (size_t)count);
    }
    if (polls[2].revents) {
      ssize_t count = read(3, buffer, sizeof buffer - 1);
      if (count <= 0) {
        control_open = 0;
        continue;
      }
      buffer[count] = 0;
      int columns, rows;
      if (sscanf(buffer, "%d %d", &columns, &rows) == 2) {
        struct winsize next = {.ws_col = (unsigned short)columns, .ws_row = (unsigned short)rows};
        ioctl(master, TIOCSWINSZ, &next);
      }
    }
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char **whiteouts;
static size_t whiteout_count, whiteout_capacity;

static int collect_whiteout(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)type;
  if (strncmp(path + ftw->base, ".wh.", 4) != 0) return 0;
  if (whiteout_count == whiteout_capacity) {
    whiteout_capacity = whiteout_capacity ? whiteout_capacity * 2 : 64;
    whiteouts = realloc(whiteouts, whiteout_capacity * sizeof *whiteouts);
    if (!whiteouts) die("allocate");
  }
  whiteouts[whiteout_count++] = strdup(path);
  return 0;
}

static int command_whiteouts(char **argv) {
  if (nftw(argv[0], collect_whiteout, 64, FTW_PHYS) < 0) die("walk layer");
  for (size_t index = 0; index < whiteout_count; index++) {
    char *path = whiteouts[index];
    char *slash = strrchr(path, '/');
    char *name = slash + 1;
    if (unlink(path) < 0) die("remove whiteout");
    *slash = 0;
    if (strcmp(name, ".wh..wh..opq") == 0) {
      if (setxattr(path, "trusted.overlay.opaque", "y", 1, 0) < 0) die("mark opaque directory");
      continue;
    }
    char target[4096];
    snprintf(target, sizeof target, "%s/%s", path, name + 4);
    if (mknod(target, S_IFCHR | 0000, makedev(0, 0)) < 0 && errno != EEXIST) die("make whiteout");
  }
  return 0;
}

static int command_connect(char **argv, int relay) {
  int ns = open(argv[0], O_RDONLY | O_CLOEXEC);
  if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) die("enter network namespace");
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[2]))};
  if (inet_pton(AF_INET, argv[1], &address.sin_addr) != 1) {
    fprintf(stderr, "moor-shim: not an IPv4 address: %s\n", argv[1]);
    return 2;
  }
  int sock = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (sock < 0) die("make socket");
  if (connect(sock, (struct sockaddr *)&address, sizeof address) < 0 && errno != EINPROGRESS) die("connect");
  struct pollfd wait_connect = {sock, POLLOUT, 0};
  int error = 0;
  socklen_t length = sizeof error;
  if (poll(&wait_connect, 1, atoi(argv[3])) <= 0) {
    fprintf(stderr, "moor-shim: connect: timed out\n");
    return 1;
  }
  getsockopt(sock, SOL_SOCKET, SO_ERROR, &error, &length);
  if (error) {
    errno = error;
    die("connect");
  }
  if (!relay) return 0;
  int input_open = 1;
  char buffer[65536];
  for (;;) {
    struct pollfd polls[2] = {{sock, POLLIN, 0}, {input_open ? 0 : -1, POLLIN, 0}};
    if (poll(polls, 2, -1) < 0 && errno != EINTR) break;
    if (polls[0].revents) {
      ssize_t count = read(sock, buffer, sizeof buffer);
      if (count <= 0) break;
      write_all(1, buffer, (size_t)count);
    }
    if (polls[1].revents) {
      ssize_t count = read(0, buffer, sizeof buffer);
      if (count <= 0) {
        input_open = 0;
        shutdown(sock, SHUT_WR);
      } else {
        int flags = fcntl(sock, F_GETFL);
        fcntl(sock, F_SETFL, flags & ~O_NONBLOCK);
        write_all(sock, buffer, (size_t)count);
        fcntl(sock, F_SETFL, flags);
      }
    }
  }
  return 0;
}

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

// Enters the mount namespace of <pid> with its root as ours, so paths resolve as inside it.
static void enter_container(const char *pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%s/root", pid);
  int root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  snprintf(path, sizeof path, "/proc/%s/ns/mnt", pid);
  int ns = open(path, O_RDONLY | O_CLOEXEC);
  if (root < 0 || ns < 0) die("open the container's namespace");
  if (setns(ns, CLONE_NEWNS) < 0) die("enter the container's mount namespace");
  if (fchdir(root) < 0 || chroot(".") < 0 || chdir("/") < 0) die("enter the container's root");
}

static int command_attach(char **argv) {
  int tree = (int)syscall(SYS_open_tree, AT_FDCWD, argv[1], OPEN_TREE_CLONE | AT_RECURSIVE | O_CLOEXEC);
  if (tree < 0) die("copy the mount");
  enter_container(argv[0]);
  struct stat target;
  if (stat(argv[2], &target) < 0) die("find the mount point");
  if (!S_ISDIR(target.st_mode)) {
    fprintf(stderr, "moor-shim: %s: not a directory\n", argv[2]);
    return 1;
  }
  if (syscall(SYS_move_mount, tree, "", AT_FDCWD, argv[2], MOVE_MOUNT_F_EMPTY_PATH) < 0) die("place the mount");
  if (mount(NULL, argv[2], NULL, MS_SLAVE | MS_REC, NULL) < 0) die("make the mount a slave");
  return 0;
}

static int command_detach(char **argv) {
  enter_container(argv[0]);
  if (umount2(argv[1], MNT_DETACH | UMOUNT_NOFOLLOW) < 0) die("unmount");
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 10 && strcmp(argv[1], "run") == 0) return command_run(argv + 2);
  if (argc >= 5 && strcmp(argv[1], "tty") == 0) return command_tty(argv + 2);
  if (argc >= 6 && strcmp(argv[1], "connect") == 0) return command_connect(argv + 2, argc >= 7 && strcmp(argv[6], "relay") == 0);
  if (argc == 3 && strcmp(argv[1], "whiteouts") == 0) return command_whiteouts(argv + 2);
  if (argc == 5 && strcmp(argv[1], "attach") == 0) return command_attach(argv + 2);
  if (argc == 4 && strcmp(argv[1], "detach") == 0) return command_detach(argv + 2);
  fprintf(stderr, "usage: moor-shim run|tty|whiteouts|connect|attach|detach ...\n");
  return 2;
}
