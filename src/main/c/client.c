/*
 * ffdispatch-client: the native ffmpeg/ffprobe shim.  The launcher (bin/ffdispatch-shim, which
 * bin/ffmpeg and bin/ffprobe link to) runs it as
 *
 *	ffdispatch-client "$0" "$@"
 *
 * It keeps the contract of the Java shim (dev.ffdispatch.shim.Shim), which stays the
 * reference: the same integration tests run against both.  It sends its argument bytes as the
 * kernel gave them, its working directory and its environment to the daemon's Unix socket,
 * relays stdin at once (single keys, end of file), writes the job's stdout and stderr
 * byte-exact on its own fd 1 and fd 2, and exits with the job's exit code.  Nothing of ours
 * ever goes to stdout.  When the daemon is unreachable it execs the real local ffmpeg or
 * ffprobe, found by the Java shim's rules, so a SIGKILL of this process leaves nothing running.
 *
 * Two threads while a job runs, as in the Java shim: this one reads frames and writes fd 1 and
 * fd 2; a second one copies stdin to the socket, so a reader that is slow to drain our stdout
 * never holds up a 'q'.  Only the second thread writes to the socket once the job is sent.
 */
#define _XOPEN_SOURCE 700	/* POSIX 2008 with XSI, as local.c */

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"
#include "frames.h"

#define DEFAULT_SOCKET	"/run/ffdispatch/ffdispatch.sock"
#define UPGRADE		"install the same ffdispatch version for the shim and the daemon"

/* dev.ffdispatch.protocol.JobRequest.VERSION */
#define JOB_VERSION	1

extern char	**environ;

static enum tool tool_of(const char *);
static char	*socket_path(void);
static int	 dial(const char *, const char **);
static size_t	 env_name_len(const char *);
static int	 env_seen(char **, const char *, size_t);
static unsigned char *put_bytes(unsigned char *, const void *, size_t);
static unsigned char *job_frame(enum tool, int, char **, size_t *);
static int	 relay(int, const unsigned char *, size_t);
static int	 deliver(const struct frame_event *, unsigned char **, size_t *);
static void	*pump_stdin(void *);
static int	 lost(const char *);

int
main(int argc, char *argv[])
{
	enum tool	 tool;
	unsigned char	*job;
	const char	*why;
	char		*sock;
	size_t		 joblen;
	int		 fd, code;

	if (argc < 2) {
		say("the client expects the name it was called by as its first argument "
		    "(ffdispatch-client \"$0\" \"$@\"); start it through bin/ffmpeg or bin/ffprobe");
		return EXIT_USAGE;
	}
	tool = tool_of(argv[1]);
	sock = socket_path();
	if ((fd = dial(sock, &why)) == -1)
		run_local(tool, argv + 1, sock, why);
	free(sock);
	job = job_frame(tool, argc - 2, argv + 2, &joblen);
	code = relay(fd, job, joblen);
	free(job);
	exit(code);
}

/* ffprobe (or ffprobe.<ext>) by the last path element; anything else is ffmpeg (Tool.fromArgv0). */
static enum tool
tool_of(const char *argv0)
{
	const char	*base;

	base = strrchr(argv0, '/');
	base = base == NULL ? argv0 : base + 1;
	if (strcmp(base, "ffprobe") == 0 || strncmp(base, "ffprobe.", 8) == 0)
		return TOOL_FFPROBE;
	return TOOL_FFMPEG;
}

const char *
tool_name(enum tool tool)
{
	return tool == TOOL_FFPROBE ? "ffprobe" : "ffmpeg";
}

const char *
local_env(enum tool tool)
{
	return tool == TOOL_FFPROBE ? "FFDISPATCH_LOCAL_FFPROBE" : "FFDISPATCH_LOCAL_FFMPEG";
}

/* FFDISPATCH_SOCKET, else $FFDISPATCH_HOME/ffdispatch.sock, else the default (Shim.socketPath). */
static char *
socket_path(void)
{
	const char	*home, *sock;
	char		*path;
	size_t		 len;

	if ((sock = getenv("FFDISPATCH_SOCKET")) != NULL && *sock != '\0')
		return xstrdup(sock);
	if ((home = getenv("FFDISPATCH_HOME")) == NULL || *home == '\0')
		return xstrdup(DEFAULT_SOCKET);
	len = strlen(home);
	path = xmalloc(len + sizeof("/ffdispatch.sock"));
	memcpy(path, home, len);
	memcpy(path + len, "/ffdispatch.sock", sizeof("/ffdispatch.sock"));
	return path;
}

/* A connected socket, or -1 with *why saying what went wrong. */
static int
dial(const char *path, const char **why)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		*why = "the socket path is longer than a Unix socket path may be (107 bytes)";
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		*why = strerror(errno);
		return -1;
	}
	/* A Unix connect either queues the connection or fails: retrying after EINTR is safe. */
	while (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		if (errno == EINTR)
			continue;
		*why = strerror(errno);
		(void)close(fd);
		return -1;
	}
	return fd;
}

/* The working directory's bytes; empty when it is gone (deleted), which the daemon accepts. */
char *
working_directory(void)
{
	char	*dir;
	size_t	 size;

	for (size = PATH_MAX;; size *= 2) {
		dir = xmalloc(size);
		if (getcwd(dir, size) != NULL)
			return dir;
		free(dir);
		if (errno != ERANGE)
			break;
	}
	dir = xmalloc(1);
	dir[0] = '\0';
	return dir;
}

/*
 * The JOB frame (JobRequest.toFrame): version, tool, the arguments, the working directory and
 * the environment, every string as a 4-byte length and its bytes.  Like the JVM's
 * System.getenv(), the environment skips entries without '=' and keeps a name's first entry.
 */
static unsigned char *
job_frame(enum tool tool, int argc, char **argv, size_t *lenp)
{
	unsigned char	*frame, *p;
	char		*cwd, **e;
	size_t		 len, name;
	uint32_t	 envc = 0;
	int		 i;

	cwd = working_directory();
	len = FRAME_HEADER + 2 + 1 + 4 + 4 + strlen(cwd) + 4;
	for (i = 0; i < argc; i++)
		len += 4 + strlen(argv[i]);
	for (e = environ; *e != NULL; e++) {
		if ((name = env_name_len(*e)) == 0 || env_seen(e, *e, name))
			continue;
		len += 4 + name + 4 + strlen(*e + name + 1);
		envc++;
	}
	if (len - FRAME_HEADER > UINT32_MAX) {
		say("the arguments and environment are too large to send (%zu bytes)", len);
		exit(EXIT_PROTOCOL);
	}
	frame = p = xmalloc(len);
	frame_header(p, FRAME_JOB, (uint32_t)(len - FRAME_HEADER));
	p += FRAME_HEADER;
	*p++ = JOB_VERSION >> 8;
	*p++ = JOB_VERSION & 0xff;
	*p++ = (unsigned char)tool;
	frame_put32(p, (uint32_t)argc);
	p += 4;
	for (i = 0; i < argc; i++)
		p = put_bytes(p, argv[i], strlen(argv[i]));
	p = put_bytes(p, cwd, strlen(cwd));
	frame_put32(p, envc);
	p += 4;
	for (e = environ; *e != NULL; e++) {
		if ((name = env_name_len(*e)) == 0 || env_seen(e, *e, name))
			continue;
		p = put_bytes(p, *e, name);
		p = put_bytes(p, *e + name + 1, strlen(*e + name + 1));
	}
	free(cwd);
	*lenp = len;
	return frame;
}

/* Length of the name of a NAME=value entry; 0 for an entry without '=' or without a name. */
static size_t
env_name_len(const char *entry)
{
	const char	*eq;

	eq = strchr(entry, '=');
	return eq == NULL ? 0 : (size_t)(eq - entry);
}

/* Whether an entry before e has the same name. */
static int
env_seen(char **e, const char *entry, size_t name)
{
	char	**before;

	for (before = environ; before < e; before++) {
		if (strncmp(*before, entry, name + 1) == 0)
			return 1;
	}
	return 0;
}

static unsigned char *
put_bytes(unsigned char *p, const void *bytes, size_t len)
{
	frame_put32(p, (uint32_t)len);
	memcpy(p + 4, bytes, len);
	return p + 4 + len;
}

/*
 * The connected phase (Relay.run): sends the job, starts the stdin thread, then writes the
 * daemon's STDOUT and STDERR frames out as they come until EXIT.  Returns the exit code.
 * A frame is written once it is whole, in one write, as the Java shim does: a daemon lost in
 * the middle of a frame leaves none of it on stdout.
 */
static int
relay(int fd, const unsigned char *job, size_t joblen)
{
	struct sigaction	 sa;
	struct frame_reader	 fr;
	struct frame_event	 ev;
	unsigned char		 buf[FRAME_CHUNK + FRAME_HEADER];
	unsigned char		*held = NULL;
	char			 why[64];
	pthread_t		 pump;
	ssize_t			 n;
	size_t			 off, nheld = 0;
	int			 error, code = -1;

	/* A closed stdout or socket must be an error we see, not a signal that kills us. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	if (sigemptyset(&sa.sa_mask) == -1 || sigaction(SIGPIPE, &sa, NULL) == -1) {
		say("cannot ignore SIGPIPE (%s)", strerror(errno));
		return EXIT_PROTOCOL;
	}
	if (write_all(fd, job, joblen) == -1)
		return lost(strerror(errno));
	if ((error = pthread_create(&pump, NULL, pump_stdin, (void *)(intptr_t)fd)) != 0) {
		say("cannot start the stdin relay (%s); the job is cancelled", strerror(error));
		return EXIT_PROTOCOL;
	}
	frame_init(&fr);
	while (code == -1) {
		if ((n = xread(fd, buf, sizeof(buf))) <= 0) {
			code = lost(n == -1 ? strerror(errno) : frame_midway(&fr) ?
			    "connection closed inside a frame" :
			    "the daemon closed the connection without an exit code");
			break;
		}
		for (off = 0; off < (size_t)n && code == -1;) {
			off += frame_read(&fr, buf + off, (size_t)n - off, &ev);
			switch (ev.kind) {
			case FRAME_NONE:
				break;
			case FRAME_DATA:
				if (deliver(&ev, &held, &nheld) == -1)
					code = EXIT_STDOUT_CLOSED;
				break;
			case FRAME_EXIT_CODE:
				/* exit(3) keeps the low 8 bits, as Runtime.halt does. */
				code = ev.value & 0xff;
				break;
			case FRAME_BAD_LENGTH:
				(void)snprintf(why, sizeof(why), "frame length %d outside 0..%d",
				    (int)ev.value, FRAME_MAX);
				code = lost(why);
				break;
			case FRAME_BAD_TYPE:
				(void)snprintf(why, sizeof(why), "unknown frame type 0x%x", ev.type);
				code = lost(why);
				break;
			case FRAME_UNEXPECTED:
				say("the daemon sent an unexpected %s frame during a job; " UPGRADE,
				    frame_name(ev.type));
				code = EXIT_PROTOCOL;
				break;
			case FRAME_BAD_EXIT:
				say("bad EXIT frame from the daemon (not an EXIT frame: EXIT with %d "
				    "bytes); " UPGRADE, (int)ev.value);
				code = EXIT_PROTOCOL;
				break;
			}
		}
	}
	free(held);
	return code;
}

/*
 * Writes a data frame to fd 1 or fd 2 once it is whole.  A frame that came in one read is
 * written from the read buffer; the pieces of one split across reads are held until its last.
 * Returns -1 when stdout is closed; a closed stderr is ignored, as in the Java shim.
 */
static int
deliver(const struct frame_event *ev, unsigned char **held, size_t *nheld)
{
	const unsigned char	*data = ev->data;
	size_t			 len = ev->len;
	int			 fd;

	if (!ev->first || !ev->last) {
		if (ev->first) {
			free(*held);
			*held = xmalloc(ev->whole);
			*nheld = 0;
		}
		memcpy(*held + *nheld, ev->data, ev->len);
		*nheld += ev->len;
		if (!ev->last)
			return 0;
		data = *held;
		len = *nheld;
	}
	fd = ev->type == FRAME_STDERR ? STDERR_FILENO : STDOUT_FILENO;
	if (write_all(fd, data, len) == -1 && fd == STDOUT_FILENO)
		return -1;
	return 0;
}

/*
 * Copies stdin to the daemon (StdinPump): every read becomes one STDIN frame at once, so a
 * single key reaches ffmpeg without waiting for more; end of file, or a read error as ffmpeg
 * would see it, becomes STDIN_EOF.  A failed send ends the thread: the main thread sees the
 * connection go too and reports it.
 */
static void *
pump_stdin(void *arg)
{
	unsigned char	buf[FRAME_HEADER + FRAME_CHUNK];
	ssize_t		n;
	int		fd = (int)(intptr_t)arg;

	while ((n = xread(STDIN_FILENO, buf + FRAME_HEADER, FRAME_CHUNK)) > 0) {
		frame_header(buf, FRAME_STDIN, (uint32_t)n);
		if (write_all(fd, buf, FRAME_HEADER + (size_t)n) == -1)
			return NULL;
	}
	frame_header(buf, FRAME_STDIN_EOF, 0);
	(void)write_all(fd, buf, FRAME_HEADER);
	return NULL;
}

static int
lost(const char *reason)
{
	say("lost the daemon connection mid-job (%s); the job's result is unknown, see the daemon "
	    "log (journalctl -u ffdispatch)", reason);
	return EXIT_PROTOCOL;
}
