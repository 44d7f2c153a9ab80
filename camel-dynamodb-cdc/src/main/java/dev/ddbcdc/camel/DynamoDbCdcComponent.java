package dev.ddbcdc.camel;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;

/** The {@code dynamodb-cdc} component: change data capture from an Amazon DynamoDB table. */
@Component("dynamodb-cdc")
public class DynamoDbCdcComponent extends DefaultComponent {

    @Metadata(description = "Component-level defaults for every endpoint's options.")
    private DynamoDbCdcConfiguration configuration = new DynamoDbCdcConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        DynamoDbCdcConfiguration endpointConfiguration = configuration.copy();
        endpointConfiguration.setTable(remaining);
        DynamoDbCdcEndpoint endpoint = new DynamoDbCdcEndpoint(uri, this, endpointConfiguration);
        Map<String, Object> headerOverrides = PropertiesHelper.extractProperties(parameters, "stsHeaderOverrides.");
        endpointConfiguration.getStsHeaderOverrides().putAll(headerOverrides);
        setProperties(endpoint, parameters);
        endpointConfiguration.validate();
        return endpoint;
    }

    public DynamoDbCdcConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DynamoDbCdcConfiguration configuration) {
        this.configuration = configuration;
    }
}
