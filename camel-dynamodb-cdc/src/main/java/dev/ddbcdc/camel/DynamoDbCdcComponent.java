package dev.ddbcdc.camel;

import java.util.Arrays;
import java.util.Map;

import dev.ddbcdc.camel.options.ExportFormat;
import dev.ddbcdc.camel.options.IncrementalExportFallback;
import dev.ddbcdc.camel.options.OutputFormat;
import dev.ddbcdc.camel.options.StartPosition;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import dev.ddbcdc.camel.options.ViewOnRemove;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.PropertiesHelper;

/** The {@code dynamodb-cdc} component: change data capture from an Amazon DynamoDB table. */
@Component("dynamodb-cdc")
public class DynamoDbCdcComponent extends HealthCheckComponent {

    @Metadata(description = "Component-level defaults for every endpoint's options.")
    private DynamoDbCdcConfiguration configuration = new DynamoDbCdcConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DynamoDbCdcConfiguration endpointConfiguration = configuration.copy();
        endpointConfiguration.setTable(remaining);
        DynamoDbCdcEndpoint endpoint = new DynamoDbCdcEndpoint(uri, this, endpointConfiguration);
        Map<String, Object> headerOverrides = PropertiesHelper.extractProperties(parameters, "stsHeaderOverrides.");
        endpointConfiguration.getStsHeaderOverrides().putAll(headerOverrides);
        checkEnum(parameters, "startPosition", StartPosition.class);
        checkEnum(parameters, "viewOnRemove", ViewOnRemove.class);
        checkEnum(parameters, "trimmedDataPolicy", TrimmedDataPolicy.class);
        checkEnum(parameters, "incrementalExportFallback", IncrementalExportFallback.class);
        checkEnum(parameters, "exportFormat", ExportFormat.class);
        checkEnum(parameters, "outputFormat", OutputFormat.class);
        setProperties(endpoint, parameters);
        endpointConfiguration.validate();
        return endpoint;
    }

    /** Camel's own message names the bad value but not the allowed ones; this one names both. */
    private static <E extends Enum<E>> void checkEnum(Map<String, Object> parameters, String option, Class<E> type) {
        Object value = parameters.get(option);
        if (!(value instanceof String) || ((String) value).startsWith("{{")) {
            return;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase((String) value)) {
                return;
            }
        }
        throw new IllegalArgumentException(option + " must be one of " + Arrays.toString(type.getEnumConstants())
                                           + ", was '" + value + "'");
    }

    public DynamoDbCdcConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DynamoDbCdcConfiguration configuration) {
        this.configuration = configuration;
    }
}
