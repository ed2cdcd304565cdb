/**
 * The framed, versioned wire format between the shim and the daemon, and the exit codes
 * ffdispatch itself uses. JDK only.
 */
package dev.ffdispatch.protocol;
