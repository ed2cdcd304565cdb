/**
 * Running a job somewhere: the {@code Executor} interface, the SSH and local executors, remote
 * command building (POSIX quoting, PID report) and per-host path mapping.
 */
package dev.ffdispatch.exec;
