package dev.ddbcdc.bench;

import dev.ddbcdc.localaws.LocalAws;

/** One benchmark scenario: measures its figures side by side with their baselines, in one run. */
interface Scenario {

    /** Short id used on the command line, e.g. {@code snapshot}. */
    String id();

    ScenarioResult run(LocalAws aws, Scale scale) throws Exception;
}
