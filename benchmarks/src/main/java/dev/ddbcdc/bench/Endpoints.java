package dev.ddbcdc.bench;

import java.net.URI;

import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalDynamoDb;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where the local AWS test kit answers, passed to child JVMs as two URIs, and SDK clients for it built the way the
 * component builds its own (Apache HTTP client, static credentials), so that baselines pay the same client costs.
 * {@code s3} is null where only DynamoDB Local runs.
 */
record Endpoints(URI dynamoDb, URI s3) {

    static Endpoints of(LocalAws aws) {
        return new Endpoints(aws.dynamoDbEndpoint(), aws.s3Endpoint());
    }

    DynamoDbClient dynamoDbClient() {
        return DynamoDbClient.builder().endpointOverride(dynamoDb).region(LocalDynamoDb.REGION)
                .credentialsProvider(LocalDynamoDb.credentials()).httpClient(ApacheHttpClient.create()).build();
    }

    DynamoDbStreamsClient streamsClient() {
        return DynamoDbStreamsClient.builder().endpointOverride(dynamoDb).region(LocalDynamoDb.REGION)
                .credentialsProvider(LocalDynamoDb.credentials()).httpClient(ApacheHttpClient.create()).build();
    }

    S3Client s3Client() {
        return S3Client.builder().endpointOverride(s3).forcePathStyle(true).region(LocalDynamoDb.REGION)
                .credentialsProvider(LocalDynamoDb.credentials()).httpClient(ApacheHttpClient.create()).build();
    }

    /** A dynamodb-cdc endpoint URI for {@code table} on this kit; {@code options} are appended. */
    String cdcUri(String table, String options) {
        return "dynamodb-cdc:" + table + "?region=" + LocalDynamoDb.REGION.id() + "&uriEndpointOverride=" + dynamoDb
               + (s3 == null ? "" : "&s3UriEndpointOverride=" + s3) + "&accessKey=" + LocalDynamoDb.ACCESS_KEY + "&secretKey="
               + LocalDynamoDb.SECRET_KEY + (options.isEmpty() ? "" : "&" + options);
    }

    /** An aws2-ddbstream endpoint URI for {@code table} on this kit; {@code options} are appended. */
    String aws2StreamUri(String table, String options) {
        return "aws2-ddbstream:" + table + "?region=" + LocalDynamoDb.REGION.id()
               + "&overrideEndpoint=true&uriEndpointOverride=" + dynamoDb + "&accessKey=" + LocalDynamoDb.ACCESS_KEY
               + "&secretKey=" + LocalDynamoDb.SECRET_KEY + (options.isEmpty() ? "" : "&" + options);
    }
}
