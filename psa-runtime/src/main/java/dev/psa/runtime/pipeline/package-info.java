/**
 * Running stages into a run folder: fingerprints, skip / resume / re-run decisions, the run-folder lock, provenance ({@code run.json}) and per-image failures.
 */
package dev.psa.runtime.pipeline;
