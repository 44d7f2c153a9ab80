package dev.ddbcdc.camel.aws;

import dev.ddbcdc.camel.port.TablePort;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** {@link TablePort} over the AWS SDK's DynamoDbClient. */
public final class SdkTablePort implements TablePort {

    private final DynamoDbClient client;

    public SdkTablePort(DynamoDbClient client) {
        this.client = client;
    }

    @Override
    public TableDescription describeTable(String tableName) {
        return client.describeTable(b -> b.tableName(tableName)).table();
    }
}
