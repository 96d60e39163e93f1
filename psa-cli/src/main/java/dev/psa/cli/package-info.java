/**
 * The {@code psa} command: entry point, global options and the Guice bootstrap shared by every subcommand.
 */
package dev.psa.cli;
