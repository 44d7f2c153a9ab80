package dev.ddbcdc.bench;

import dev.ddbcdc.localaws.LocalAws;

/** One benchmark scenario: measures its figures side by side with their baselines, in one run. */
interface Scenario {

    /** Short id used on the command line, e.g. {@code snapshot}. */
    String id();

    /** Runs against {@code aws}, a local AWS test kit started for this scenario alone (null if it needs none). */
    ScenarioResult run(LocalAws aws, Scale scale) throws Exception;

    /** Whether the scenario needs the local AWS test kit (the simulated-stream scenario does not). */
    default boolean needsLocalAws() {
        return true;
    }
}
