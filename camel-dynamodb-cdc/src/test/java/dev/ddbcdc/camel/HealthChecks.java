package dev.ddbcdc.camel;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;

/** Reads the consumer's readiness the way Camel's health endpoints do (camel-main enables the same registry). */
final class HealthChecks {

    private HealthChecks() {
    }

    static HealthCheck.Result readiness(CdcHarness cdc) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(cdc.context);
        if (registry.getRepository("consumers").isEmpty()) {
            registry.register(registry.resolveById("consumers"));
        }
        String id = "consumer:" + CdcHarness.ROUTE_ID;
        return HealthCheckHelper.invokeReadiness(cdc.context).stream()
                .filter(result -> id.equals(result.getCheck().getId())).findFirst()
                .orElseThrow(() -> new AssertionError("no readiness check " + id + " in "
                                                      + HealthCheckHelper.invokeReadiness(cdc.context)));
    }
}
