/**
 * Demo and test support: {@link dev.ffdispatch.demo.LoopbackWorker}, a real SSH worker inside
 * this JVM that runs commands with /bin/sh.
 */
package dev.ffdispatch.demo;
