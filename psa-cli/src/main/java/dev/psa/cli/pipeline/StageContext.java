package dev.psa.cli.pipeline;

import java.io.PrintStream;
import dev.psa.cli.config.Settings;

/**
 * What a stage gets when it runs.
 *
 * @param settings  the validated configuration and components
 * @param run       the run folder
 * @param resumed   whether outputs of an interrupted attempt with the same fingerprint were kept
 * @param failures  per-image failure list
 * @param out       where progress lines and results go
 */
public record StageContext(Settings settings, RunFolder run, boolean resumed, Failures failures, PrintStream out) {
}
