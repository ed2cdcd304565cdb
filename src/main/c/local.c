/*
 * The emergency path of the client: the daemon is unreachable, so the local ffmpeg or ffprobe
 * runs in this process's place (Shim.runLocally, LocalTool and posix.LocalPrograms in the Java
 * shim: the same search and the same messages).
 */
#define _XOPEN_SOURCE 700	/* POSIX 2008 with XSI: realpath(3) */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"

#define JELLYFIN_DIR	"/usr/lib/jellyfin-ffmpeg"
#define SHIM_SCRIPT	"ffdispatch-shim"
#define SHIM_DIR_ENV	"FFDISPATCH_SHIM_DIR"
#define LOCAL_RUN_ENV	"FFDISPATCH_LOCAL_RUN"
#define FIX		"Fix: systemctl start ffdispatch"

static char	*find_local(enum tool, const char *);
static int	 skipped(const char *, const char *, const char *, const char *);
static char	*join_path(const char *, size_t, const char *);
static char	*real_path(const char *);

/*
 * The daemon is unreachable: exec the local program (Shim.runLocally, LocalTool.run).  The
 * program replaces this process, so whoever waits for us waits for it, and a SIGKILL meant for
 * us reaches it.  FFDISPATCH_LOCAL_RUN in its environment stops a launcher found on its PATH
 * from starting another local run.
 */
void
run_local(enum tool tool, char **argv, const char *sock, const char *why)
{
	const char	*outer;
	char		*local;

	if ((outer = getenv(LOCAL_RUN_ENV)) != NULL) {
		say("daemon not reachable at %s (%s) and this shim was started by its own local run "
		    "of %s; set %s to the real %s. " FIX, sock, why, outer, local_env(tool),
		    tool_name(tool));
		exit(EXIT_NOT_FOUND);
	}
	if ((local = find_local(tool, argv[0])) == NULL) {
		say("daemon not reachable at %s (%s) and no local %s was found (looked in "
		    JELLYFIN_DIR " and on PATH, skipping the shim itself); set %s to the real %s. "
		    FIX, sock, why, tool_name(tool), local_env(tool), tool_name(tool));
		exit(EXIT_NOT_FOUND);
	}
	say("daemon not reachable at %s (%s); running %s locally. " FIX, sock, why, local);
	if (setenv(LOCAL_RUN_ENV, local, 1) == -1) {
		say("could not run %s locally (%s); set %s to a working %s", local, strerror(errno),
		    local_env(tool), tool_name(tool));
		exit(EXIT_NOT_FOUND);
	}
	/* execvp: a bare name is looked up on PATH and a script without #! runs under sh, as the
	   Java shim's "sh -c 'exec ...'" does. */
	argv[0] = local;
	(void)execvp(local, argv);
	say("could not run %s locally (%s); set %s to a working %s", local, strerror(errno),
	    local_env(tool), tool_name(tool));
	exit(EXIT_NOT_FOUND);
}

/*
 * The local program (LocalPrograms.find): $FFDISPATCH_LOCAL_<TOOL> as given, else
 * /usr/lib/jellyfin-ffmpeg/<tool>, else the first <tool> on PATH that is an executable file
 * and not the shim: not the called name's real path, not in FFDISPATCH_SHIM_DIR, not the
 * launcher script, and not this program.  NULL when there is none.
 */
static char *
find_local(enum tool tool, const char *argv0)
{
	const char	*configured, *path, *dir, *end;
	char		*candidate, *real, *self, *shimdir, *exe, *found = NULL;
	char		*abs, *cwd;
	struct stat	 st;
	int		 jellyfin;

	configured = getenv(local_env(tool));
	if (configured != NULL && *configured != '\0')
		return xstrdup(configured);
	self = strchr(argv0, '/') != NULL ? real_path(argv0) : NULL;
	shimdir = real_path(getenv(SHIM_DIR_ENV));
	exe = real_path("/proc/self/exe");
	path = getenv("PATH");
	for (jellyfin = 1, dir = JELLYFIN_DIR; dir != NULL && found == NULL; jellyfin = 0) {
		if (jellyfin)
			end = dir + strlen(dir);
		else if ((end = strchr(dir, ':')) == NULL)
			end = dir + strlen(dir);
		candidate = dir == end ? join_path(".", 1, tool_name(tool)) :
		    join_path(dir, (size_t)(end - dir), tool_name(tool));
		real = real_path(candidate);
		if (real != NULL && stat(real, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(real, X_OK) == 0 && !skipped(real, self, shimdir, exe))
			found = candidate;
		else
			free(candidate);
		free(real);
		if (jellyfin)
			dir = path;
		else
			dir = *end == ':' ? end + 1 : NULL;
	}
	free(self);
	free(shimdir);
	free(exe);
	if (found == NULL || found[0] == '/')
		return found;
	/* A relative PATH entry (or an empty one, meaning "."): absolute, as toAbsolutePath(). */
	cwd = working_directory();
	abs = xmalloc(strlen(cwd) + 1 + strlen(found) + 1);
	(void)snprintf(abs, strlen(cwd) + 1 + strlen(found) + 1, "%s/%s", cwd, found);
	free(cwd);
	free(found);
	return abs;
}

/* Whether the real path of a candidate is the shim (or this client) rather than ffmpeg. */
static int
skipped(const char *real, const char *self, const char *shimdir, const char *exe)
{
	const char	*slash;
	size_t		 dirlen;

	slash = strrchr(real, '/');
	dirlen = slash == real ? 1 : (size_t)(slash - real);
	if (self != NULL && strcmp(real, self) == 0)
		return 1;
	if (exe != NULL && strcmp(real, exe) == 0)
		return 1;
	if (shimdir != NULL && strlen(shimdir) == dirlen && strncmp(real, shimdir, dirlen) == 0)
		return 1;
	return strcmp(slash + 1, SHIM_SCRIPT) == 0;
}

/* dir (len bytes) + "/" + name, with repeated and trailing slashes of dir dropped as Path.of does. */
static char *
join_path(const char *dir, size_t len, const char *name)
{
	char	*path, *p;
	size_t	 i;

	path = p = xmalloc(len + 1 + strlen(name) + 1);
	for (i = 0; i < len; i++) {
		if (dir[i] == '/' && p > path && p[-1] == '/')
			continue;
		*p++ = dir[i];
	}
	if (p == path || p[-1] != '/')
		*p++ = '/';
	memcpy(p, name, strlen(name) + 1);
	return path;
}

/* realpath(3), or NULL when path is NULL, empty, or does not resolve. */
static char *
real_path(const char *path)
{
	if (path == NULL || *path == '\0')
		return NULL;
	return realpath(path, NULL);
}
