/*
 * The client's only ways to read and write a file descriptor: each retries after EINTR, waits
 * when the descriptor turns out to be non-blocking (a pipe shared with a parent that set
 * O_NONBLOCK), and the writer finishes short writes.
 */
#ifndef FFD_IO_H
#define FFD_IO_H

#include <sys/types.h>

#include <stddef.h>

ssize_t	xread(int, void *, size_t);
int	write_all(int, const void *, size_t);

#endif
