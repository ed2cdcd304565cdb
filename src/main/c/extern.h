/*
 * What the client's files share: the exit codes, the tools, and the helpers every file uses.
 */
#ifndef FFD_EXTERN_H
#define FFD_EXTERN_H

#include <sys/types.h>

#include <stddef.h>

/* The Java shim's exit codes (posix.JobExitCodes, Shim, Relay); docs/jellyfin.md documents them. */
enum {
	EXIT_USAGE = 64,		/* started without the name it was called by */
	EXIT_PROTOCOL = 76,		/* lost the daemon mid-job, or versions differ */
	EXIT_NOT_FOUND = 127,		/* no local program to run */
	EXIT_STDOUT_CLOSED = 128 + 13	/* our reader went away, as SIGPIPE would report */
};

/* The order of dev.ffdispatch.protocol.Tool: its ordinal goes on the wire. */
enum tool {
	TOOL_FFMPEG,
	TOOL_FFPROBE
};

/* client.c */
const char	*tool_name(enum tool);
const char	*local_env(enum tool);
char		*working_directory(void);

/* local.c */
void		 run_local(enum tool, char **, const char *, const char *)
		    __attribute__((noreturn));

/* io.c: xread and write_all retry after EINTR and wait when the descriptor turns out to be
   non-blocking (a pipe shared with a parent that set O_NONBLOCK); write_all finishes short
   writes.  say writes one line on stderr; xmalloc and xstrdup exit rather than return NULL. */
ssize_t		 xread(int, void *, size_t);
int		 write_all(int, const void *, size_t);
void		 say(const char *, ...) __attribute__((format(printf, 1, 2)));
void		*xmalloc(size_t);
char		*xstrdup(const char *);

#endif
