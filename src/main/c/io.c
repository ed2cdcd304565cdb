/*
 * Reading and writing with EINTR, EAGAIN and short writes handled once, the one way to say
 * something on stderr, and allocation that cannot return NULL.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"

/* What every message starts with, as in the Java shim's and the daemon's lines. */
#define PREFIX		"ffdispatch: "

static int	await(int, short);

/* One read: bytes read, 0 at end of file, or -1 with errno set. */
ssize_t
xread(int fd, void *buf, size_t len)
{
	ssize_t	n;

	for (;;) {
		n = read(fd, buf, len);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if ((errno == EAGAIN || errno == EWOULDBLOCK) && await(fd, POLLIN) == 0)
			continue;
		return -1;
	}
}

/* All len bytes, however many write calls it takes: 0, or -1 with errno set. */
int
write_all(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n >= 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if ((errno == EAGAIN || errno == EWOULDBLOCK) && await(fd, POLLOUT) == 0)
			continue;
		return -1;
	}
	return 0;
}

/* Waits until fd is ready for events; 0, or -1 with errno set. */
static int
await(int fd, short events)
{
	struct pollfd	pfd;

	pfd.fd = fd;
	pfd.events = events;
	pfd.revents = 0;
	while (poll(&pfd, 1, -1) == -1) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

/* One line on stderr, "ffdispatch: " first, in a single write. */
void
say(const char *fmt, ...)
{
	va_list	 ap;
	char	 small[1024], *line = small;
	int	 len;
	size_t	 size = sizeof(small);

	for (;;) {
		memcpy(line, PREFIX, sizeof(PREFIX) - 1);
		va_start(ap, fmt);
		len = vsnprintf(line + sizeof(PREFIX) - 1, size - sizeof(PREFIX), fmt, ap);
		va_end(ap);
		if (len < 0)
			return;
		if ((size_t)len < size - sizeof(PREFIX) || line != small)
			break;
		size = sizeof(PREFIX) + (size_t)len + 1;
		if ((line = malloc(size)) == NULL)
			return;
	}
	len += (int)sizeof(PREFIX) - 1;
	line[len++] = '\n';
	(void)write_all(STDERR_FILENO, line, (size_t)len);
	if (line != small)
		free(line);
}

void *
xmalloc(size_t size)
{
	void	*p;

	if ((p = malloc(size)) == NULL) {
		say("out of memory (%zu bytes)", size);
		exit(EXIT_PROTOCOL);
	}
	return p;
}

char *
xstrdup(const char *s)
{
	char	*copy;

	copy = xmalloc(strlen(s) + 1);
	memcpy(copy, s, strlen(s) + 1);
	return copy;
}
