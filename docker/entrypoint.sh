#!/bin/sh
# Container entrypoint: Jellyfin with ffdispatch. Starts the ffdispatch daemon in the background
# as the container user, waits (bounded) for its socket, then runs Jellyfin's own entrypoint with
# the container's arguments. This shell stays as the parent of both so that SIGTERM/SIGINT reach
# both (docker stop), and when Jellyfin exits the daemon is stopped too. Exit status: Jellyfin's.
#
# Environment (the Dockerfile sets the defaults):
#   FFDISPATCH_HOME          state: database, known_hosts, SSH identity (default /config/ffdispatch)
#   FFDISPATCH_SOCKET        socket path for the shim; the daemon gets it as FFDISPATCH_DAEMON_SOCKET
#   FFDISPATCH_ENTRYPOINT_WAIT   seconds to wait for the socket before starting Jellyfin anyway (30);
#                            Jellyfin still works meanwhile: the shim runs ffmpeg locally
#   FFDISPATCH_ENTRYPOINT_DAEMON    the daemon command (default: /usr/lib/ffdispatch/bin/ffdispatch daemon)
#   FFDISPATCH_ENTRYPOINT_JELLYFIN  Jellyfin's entrypoint (default: /jellyfin/jellyfin)
# (The entrypoint's own variables say ENTRYPOINT: FFDISPATCH_DAEMON_* and other FFDISPATCH_<section>_*
# names are config keys for the daemon, which rejects unknown ones.)
# Messages go to stderr, prefixed "ffdispatch-entrypoint:".

say() { echo "ffdispatch-entrypoint: $*" >&2; }

FFDISPATCH_HOME=${FFDISPATCH_HOME:-/config/ffdispatch}
FFDISPATCH_SOCKET=${FFDISPATCH_SOCKET:-/run/ffdispatch/ffdispatch.sock}
wait_secs=${FFDISPATCH_ENTRYPOINT_WAIT:-30}
daemon_cmd=${FFDISPATCH_ENTRYPOINT_DAEMON:-/usr/lib/ffdispatch/bin/ffdispatch daemon}
jellyfin_cmd=${FFDISPATCH_ENTRYPOINT_JELLYFIN:-/jellyfin/jellyfin}
case $wait_secs in '' | *[!0-9]*) say "FFDISPATCH_ENTRYPOINT_WAIT='$wait_secs' is not whole seconds; using 30"; wait_secs=30 ;; esac

# State on the /config volume; the socket on a local filesystem (Unix sockets do not work on NFS
# or SMB mounts). If /run is not writable for this user (e.g. --user with a tmpfs /run), use /tmp.
mkdir -p "$FFDISPATCH_HOME" || say "cannot create FFDISPATCH_HOME=$FFDISPATCH_HOME; the daemon will fail to start"
if ! mkdir -p "${FFDISPATCH_SOCKET%/*}" 2>/dev/null || [ ! -w "${FFDISPATCH_SOCKET%/*}" ]; then
    FFDISPATCH_SOCKET=${TMPDIR:-/tmp}/ffdispatch-$(id -u)/ffdispatch.sock
    mkdir -p "${FFDISPATCH_SOCKET%/*}" && chmod 700 "${FFDISPATCH_SOCKET%/*}"
    say "socket directory not writable; using $FFDISPATCH_SOCKET"
fi
FFDISPATCH_DAEMON_SOCKET=$FFDISPATCH_SOCKET
export FFDISPATCH_HOME FFDISPATCH_SOCKET FFDISPATCH_DAEMON_SOCKET

# First start: an SSH identity for the workers (authorize the .pub on each worker).
key=$FFDISPATCH_HOME/id_ed25519
if [ ! -e "$key" ] && command -v ssh-keygen >/dev/null; then
    if ssh-keygen -q -t ed25519 -N '' -C "ffdispatch@$(hostname)" -f "$key" </dev/null >/dev/null; then
        say "created SSH identity $key; authorize this key on each worker:"
        cat "$key.pub" >&2
    fi
fi

# As PID 1 this shell gets docker stop's SIGTERM (Ctrl-C: SIGINT) and passes it on as SIGTERM:
# background children of a non-interactive shell ignore SIGINT. Set before anything starts.
stopping=
daemon_pid=
jellyfin_pid=
# shellcheck disable=SC2317 # called from the traps
forward() {
    stopping=yes
    [ -z "$jellyfin_pid" ] || kill -TERM "$jellyfin_pid" 2>/dev/null
    [ -z "$daemon_pid" ] || kill -TERM "$daemon_pid" 2>/dev/null
}
trap forward TERM INT

# A socket left by a killed container would look ready; the daemon replaces it anyway.
rm -f "$FFDISPATCH_SOCKET"
# shellcheck disable=SC2086 # the daemon command is a command line on purpose
$daemon_cmd </dev/null &
daemon_pid=$!

# Poll 5 times a second; give up early when the daemon has already died.
tries=$((wait_secs * 5))
while [ ! -S "$FFDISPATCH_SOCKET" ] && [ -z "$stopping" ]; do
    if ! kill -0 "$daemon_pid" 2>/dev/null; then
        say "the ffdispatch daemon exited before opening $FFDISPATCH_SOCKET (its log is above); starting Jellyfin anyway, ffmpeg runs locally"
        daemon_pid=
        break
    fi
    if [ "$tries" -le 0 ]; then
        say "no socket at $FFDISPATCH_SOCKET after ${wait_secs}s; starting Jellyfin anyway (ffmpeg runs locally until the daemon is ready)"
        break
    fi
    tries=$((tries - 1))
    sleep 0.2
done

if [ -n "$stopping" ]; then # stopped before Jellyfin started
    [ -z "$daemon_pid" ] || wait "$daemon_pid"
    exit 143
fi
"$jellyfin_cmd" "$@" &
jellyfin_pid=$!

# `wait` returns early (128+signal) when a trapped signal arrives; wait again until Jellyfin has
# really gone, so its own status is the one we exit with.
while :; do
    wait "$jellyfin_pid"
    status=$?
    kill -0 "$jellyfin_pid" 2>/dev/null || break
done
# A trap can interrupt the last wait just as Jellyfin exits; the shell keeps the status of a child
# not yet waited for, so ask once more (127: it was collected above).
wait "$jellyfin_pid" 2>/dev/null
last=$?
[ "$last" -eq 127 ] || status=$last
if [ -z "$stopping" ]; then
    say "Jellyfin exited with status $status; stopping the ffdispatch daemon"
fi
if [ -n "$daemon_pid" ]; then
    kill -TERM "$daemon_pid" 2>/dev/null
    wait "$daemon_pid"
fi
exit "$status"
