/**
 * The embedded demo ({@code ffdispatch demo}): a temporary daemon, in-process SSH workers on
 * loopback and real ffmpeg jobs through the real shim, with nothing to set up.
 */
package dev.ffdispatch.demo;
