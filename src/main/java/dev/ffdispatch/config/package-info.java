/**
 * The YAML configuration as immutable records, environment overrides, validation with
 * file/line/key in every error.
 */
package dev.ffdispatch.config;
