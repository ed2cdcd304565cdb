/**
 * Running a job somewhere: the {@code Executor} interface, the SSH and local executors, remote
 * command building (POSIX quoting, PID report) and per-host path mapping. A mapping is checked by
 * the store's {@code PathMap}, the same rule {@code host add --map} applies, so a mapping the CLI
 * accepted is one the daemon can use.
 */
package dev.ffdispatch.exec;
