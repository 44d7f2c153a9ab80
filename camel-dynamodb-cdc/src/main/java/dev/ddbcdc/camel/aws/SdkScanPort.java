package dev.ddbcdc.camel.aws;

import dev.ddbcdc.camel.port.ScanPort;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** {@link ScanPort} over the AWS SDK's DynamoDbClient. */
public final class SdkScanPort implements ScanPort {

    private final DynamoDbClient client;

    public SdkScanPort(DynamoDbClient client) {
        this.client = client;
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
        return client.scan(request);
    }
}
