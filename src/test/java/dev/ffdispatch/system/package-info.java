/**
 * The system suite ({@code *SystemIT}, run by failsafe as root): three real OpenSSH workers, each
 * in its own network and PID namespace, the real daemon process, the real CLI and the real shim
 * launchers, and faults injected from outside (links cut, sshd killed, shims and the daemon
 * SIGKILLed, host keys changed). Every scenario prints what it tried and what it measured.
 */
package dev.ffdispatch.system;
