package dev.ddbcdc.camel;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Captures every change of an Amazon DynamoDB table: optionally a snapshot first (a point-in-time-recovery export to
 * S3), then its stream, with positions checkpointed in a Camel StateRepository so that a restart resumes where the
 * route left off.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "dynamodb-cdc", title = "DynamoDB CDC", syntax = "dynamodb-cdc:table",
             consumerOnly = true, category = { Category.CLOUD, Category.DATABASE },
             headersClass = DynamoDbCdcConstants.class)
public class DynamoDbCdcEndpoint extends DefaultEndpoint {

    @UriParam
    private DynamoDbCdcConfiguration configuration;

    public DynamoDbCdcEndpoint(String uri, DynamoDbCdcComponent component, DynamoDbCdcConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public DynamoDbCdcComponent getComponent() {
        return (DynamoDbCdcComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("dynamodb-cdc is a consumer only: use it in from(), not to()");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        DynamoDbCdcConsumer consumer = new DynamoDbCdcConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public DynamoDbCdcConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DynamoDbCdcConfiguration configuration) {
        this.configuration = configuration;
    }
}
