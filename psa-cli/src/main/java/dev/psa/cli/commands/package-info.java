/**
 * One class per {@code psa} subcommand: parsing options and printing results; the work is done by the stage and library APIs.
 */
package dev.psa.cli.commands;
