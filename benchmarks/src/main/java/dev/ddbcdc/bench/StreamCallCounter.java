package dev.ddbcdc.bench;

import java.util.concurrent.atomic.AtomicLong;

import dev.ddbcdc.localaws.LocalDynamoDb;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A DynamoDB Streams client that counts the GetRecords calls made through it, and how many came back empty: for
 * aws2-ddbstream ({@code amazonDynamoDbStreamsClient}), which reports no such count, and for the consumer
 * ({@code dynamoDbStreamsClient}) when the empty answers matter.
 */
final class StreamCallCounter implements ExecutionInterceptor {

    final AtomicLong getRecords = new AtomicLong();
    final AtomicLong emptyGetRecords = new AtomicLong();

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if ("GetRecords".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
            getRecords.incrementAndGet();
            if (context.response() instanceof GetRecordsResponse response && response.records().isEmpty()) {
                emptyGetRecords.incrementAndGet();
            }
        }
    }

    DynamoDbStreamsClient client(Endpoints endpoints) {
        return DynamoDbStreamsClient.builder().endpointOverride(endpoints.dynamoDb()).region(LocalDynamoDb.REGION)
                .credentialsProvider(LocalDynamoDb.credentials()).httpClient(ApacheHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(this)).build();
    }
}
