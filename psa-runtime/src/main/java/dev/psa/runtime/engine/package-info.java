/**
 * Engines run the per-image stages ({@link dev.psa.api.stage.ImageStage}): {@code local} in the calling
 * thread, others (the {@code spark} engine of psa-spark) spread over workers; chosen by the key
 * {@code engine} and found through discovery like every other component.
 */
package dev.psa.runtime.engine;
