package dev.psa.runtime.pipeline;

import java.util.Map;

/** Runs one stage into the run folder; returns a summary recorded in the stage state and run.json. */
@FunctionalInterface
public interface StageExecutor {
    Map<String, Object> run(RunContext context) throws Exception;
}
