/**
 * psa as a library: {@link dev.psa.runtime.PsaRuntime} reads a configuration once, discovers the
 * components and runs the pipeline into a run folder, returning the stages' summaries; the command
 * line, Spark and applications are built on it.
 */
package dev.psa.runtime;
