/**
 * The picocli admin commands: parse, call, print (text or {@code --json}). Thin by design.
 */
package dev.ffdispatch.cli;
