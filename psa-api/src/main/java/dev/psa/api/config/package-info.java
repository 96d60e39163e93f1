/**
 * The config view components see: {@link dev.psa.api.config.ComponentConfig}, a read-only,
 * prefix-scoped map with typed getters that records every read (so unused keys are reported and
 * {@code psa config show} can list each key with its default and source), and {@link
 * dev.psa.api.config.ConfigException}, which carries every problem found at once.
 */
package dev.psa.api.config;
