/**
 * What the {@code psa} command shows a person: the output mode (quiet, normal, verbose), progress
 * on stderr (a bar on a terminal, a line per tenth otherwise), the console's view of the log
 * (warnings once, in plain words) and the full log kept in the run folder ({@code logs/psa.log}).
 */
package dev.psa.cli.output;
