/**
 * Benchmarks behind the figures in docs/development.md, run by {@code bench/run}.
 * Not tests: no class here ends in Test or IT, so the suites never run them. Every table is
 * measured in one run, and comparisons are ratios within that run, because the machines are
 * shared and their absolute speed varies from run to run.
 */
package dev.ffdispatch.bench;
