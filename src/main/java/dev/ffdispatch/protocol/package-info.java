/**
 * The framed, versioned wire format between the shim and the daemon: frames, the job request,
 * and nothing else. JDK only.
 */
package dev.ffdispatch.protocol;
