package dev.ddbcdc.camel.metrics;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a consumer's meters the way Camel's metrics work: with a Micrometer {@code MeterRegistry} in the Camel
 * registry (camel-micrometer binds one as {@value #REGISTRY_NAME}; otherwise the single one found by type). Without
 * Micrometer on the classpath, or without a registry, there are no meters and nothing else changes: the Micrometer
 * classes are touched only after the check, so the component does not need them.
 */
public final class MetricsRegistration {

    /** The name camel-micrometer looks up and binds its registry under. */
    public static final String REGISTRY_NAME = "metricsRegistry";
    static final String METER_REGISTRY_CLASS = "io.micrometer.core.instrument.MeterRegistry";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsRegistration.class);
    private static final AutoCloseable NONE = () -> {
    };

    private MetricsRegistration() {
    }

    /** Registers the meters; closing the result removes them again. */
    public static AutoCloseable register(CamelContext camel, MeterSource source) {
        Class<?> registryType = camel.getClassResolver().resolveClass(METER_REGISTRY_CLASS);
        if (registryType == null) {
            LOG.debug("Micrometer is not on the classpath: no meters for table {}", source.table());
            return NONE;
        }
        Object registry = camel.getRegistry().lookupByName(REGISTRY_NAME);
        if (!registryType.isInstance(registry)) {
            registry = camel.getRegistry().findSingleByType(registryType);
        }
        if (registry == null) {
            LOG.debug("No Micrometer MeterRegistry in the Camel registry: no meters for table {}", source.table());
            return NONE;
        }
        return MicrometerMeters.register(registry, source);
    }
}
