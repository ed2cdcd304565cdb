/*
 * Reading and writing with EINTR, EAGAIN and short writes handled once; see io.h.
 */
#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "io.h"

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
