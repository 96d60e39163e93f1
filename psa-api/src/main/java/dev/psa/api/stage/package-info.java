/**
 * The stage contract: a stage's static description ({@link dev.psa.api.stage.StageSpec}), the
 * context it runs in ({@link dev.psa.api.stage.StageContext}), its per-image failures, progress and
 * summary ({@link dev.psa.api.stage.ImageFailure}, {@link dev.psa.api.stage.Progress},
 * {@link dev.psa.api.stage.StageSummary}) and the events a runner reports
 * ({@link dev.psa.api.stage.StageListener}).
 */
package dev.psa.api.stage;
