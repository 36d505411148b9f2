/*
 * http-get: a tiny HTTP/1.0 client for the built-in test image, built static with musl
 * (native/build.sh). Debian's busybox-static is linked with glibc, whose static name lookup
 * needs NSS modules a busybox image does not have, so its wget crashes on any name; musl's
 * resolver is built in and reads /etc/resolv.conf's nameserver, search and ndots as a pod's
 * programs expect, and /etc/hosts.
 *
 *   http-get [-t seconds] http://host[:port][/path]
 *
 * Prints the body on stdout. Exit status: 0 for 2xx and 3xx, 8 for an HTTP error status (as
 * wget), 1 when the name does not resolve or the connection fails, 3 on timeout.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

static void on_alarm(int sig) {
	(void)sig;
	static const char message[] = "http-get: timed out\n";
	(void)!write(2, message, sizeof message - 1);
	_exit(3);
}

static int usage(void) {
	fputs("usage: http-get [-t seconds] http://host[:port][/path]\n", stderr);
	return 2;
}

/* Splits "http://host[:port][/path]" into its parts; 0 when the URL is not of that shape. */
static int parse_url(const char *url, char *host, size_t host_size, char *port, size_t port_size, const char **path) {
	if (strncmp(url, "http://", 7) != 0) return 0;
	const char *start = url + 7;
	const char *slash = strchr(start, '/');
	const char *end = slash ? slash : start + strlen(start);
	const char *colon = memchr(start, ':', (size_t)(end - start));
	const char *host_end = colon ? colon : end;
	size_t host_length = (size_t)(host_end - start);
	if (host_length == 0 || host_length >= host_size) return 0;
	memcpy(host, start, host_length);
	host[host_length] = 0;
	size_t port_length = colon ? (size_t)(end - colon - 1) : 2;
	if (port_length == 0 || port_length >= port_size) return 0;
	if (colon) memcpy(port, colon + 1, port_length); else memcpy(port, "80", 2);
	port[port_length] = 0;
	*path = slash ? slash : "/";
	return 1;
}

static int open_connection(const char *host, const char *port) {
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *found = NULL;
	int failed = getaddrinfo(host, port, &hints, &found);
	if (failed) {
		fprintf(stderr, "http-get: bad address '%s': %s\n", host, gai_strerror(failed));
		return -1;
	}
	int fd = -1, error = 0;
	char address[INET_ADDRSTRLEN] = "?";
	for (struct addrinfo *item = found; item; item = item->ai_next) {
		inet_ntop(AF_INET, &((struct sockaddr_in *)item->ai_addr)->sin_addr, address, sizeof address);
		fd = socket(item->ai_family, item->ai_socktype, item->ai_protocol);
		if (fd >= 0 && connect(fd, item->ai_addr, item->ai_addrlen) == 0) break;
		error = errno;
		if (fd >= 0) close(fd);
		fd = -1;
	}
	freeaddrinfo(found);
	if (fd < 0) fprintf(stderr, "http-get: can't connect to remote host (%s): %s\n", address, strerror(error));
	return fd;
}

int main(int argc, char **argv) {
	unsigned timeout_seconds = 10;
	int option;
	while ((option = getopt(argc, argv, "t:")) != -1) {
		if (option != 't') return usage();
		timeout_seconds = (unsigned)atoi(optarg);
	}
	if (optind != argc - 1) return usage();
	char host[256], port[8];
	const char *path;
	if (!parse_url(argv[optind], host, sizeof host, port, sizeof port, &path)) return usage();
	signal(SIGALRM, on_alarm);
	alarm(timeout_seconds);
	int fd = open_connection(host, port);
	if (fd < 0) return 1;
	char request[1024];
	int length = snprintf(request, sizeof request, "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: moor-http-get\r\nConnection: close\r\n\r\n", path, host);
	if (length <= 0 || (size_t)length >= sizeof request || write(fd, request, (size_t)length) != length) {
		fputs("http-get: cannot send the request\n", stderr);
		return 1;
	}
	/* The head is kept until its end is seen; the body goes straight to stdout. */
	static char head[16384];
	size_t held = 0;
	int status = 0;
	ssize_t got;
	while ((got = read(fd, head + held, sizeof head - held)) > 0) {
		held += (size_t)got;
		char *end = NULL;
		for (size_t index = 0; index + 3 < held; index++) {
			if (memcmp(head + index, "\r\n\r\n", 4) == 0) { end = head + index + 4; break; }
		}
		if (!end && held < sizeof head) continue;
		if (!end || sscanf(head, "HTTP/%*d.%*d %d", &status) != 1) {
			fputs("http-get: not an HTTP answer\n", stderr);
			return 1;
		}
		fwrite(end, 1, held - (size_t)(end - head), stdout);
		char chunk[16384];
		while ((got = read(fd, chunk, sizeof chunk)) > 0) fwrite(chunk, 1, (size_t)got, stdout);
		break;
	}
	if (status == 0) {
		fputs("http-get: the connection closed before an answer\n", stderr);
		return 1;
	}
	fflush(stdout);
	if (status >= 400) {
		fprintf(stderr, "http-get: server returned HTTP %d\n", status);
		return 8;
	}
	return 0;
}
