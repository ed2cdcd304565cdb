/**
 * One MINA {@code SshClient}, the per-host session pool, managed known_hosts, and remote process
 * handles.
 */
package dev.ffdispatch.ssh;
