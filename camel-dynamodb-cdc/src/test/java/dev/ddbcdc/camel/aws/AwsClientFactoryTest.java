package dev.ddbcdc.camel.aws;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.DynamoDbCdcConfiguration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointParams;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.streams.endpoints.DynamoDbStreamsEndpointParams;
import software.amazon.awssdk.services.dynamodb.streams.endpoints.DynamoDbStreamsEndpointProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.endpoints.StsEndpointParams;
import software.amazon.awssdk.services.sts.endpoints.StsEndpointProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsClientFactoryTest {

    static DynamoDbCdcConfiguration configuration(String table) {
        DynamoDbCdcConfiguration configuration = new DynamoDbCdcConfiguration();
        configuration.setTable(table);
        return configuration;
    }

    @Test
    void assumeRoleRequestCarriesRoleExternalIdAndHeaderOverrides() {
        DynamoDbCdcConfiguration configuration = configuration("orders");
        configuration.setStsRoleArn("arn:aws:iam::123456789012:role/cdc");
        configuration.setStsExternalId("ext-42");
        configuration.setStsHeaderOverrides(Map.of("x-team", "payments"));
        AssumeRoleRequest request = new AwsClientFactory(configuration.awsOptions()).assumeRoleRequest();
        assertEquals("arn:aws:iam::123456789012:role/cdc", request.roleArn());
        assertEquals("ext-42", request.externalId());
        assertEquals("camel-dynamodb-cdc", request.roleSessionName());
        assertEquals(Map.of("x-team", List.of("payments")),
                request.overrideConfiguration().orElseThrow().headers());
    }

    @Test
    void theStsClientUsesTheTablesRegionAndNotDynamoDbsEndpointOverride() throws Exception {
        DynamoDbCdcConfiguration configuration = configuration("arn:aws:dynamodb:eu-west-1:1:table/orders");
        configuration.setUriEndpointOverride("http://localhost:8000");
        configuration.setStsRoleArn("arn:aws:iam::123456789012:role/cdc");
        configuration.setAccessKey("id");
        configuration.setSecretKey("secret");
        AwsClientFactory factory = new AwsClientFactory(configuration.awsOptions());
        try (StsClient sts = factory.sts(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))) {
            assertEquals(Region.EU_WEST_1, sts.serviceClientConfiguration().region());
            assertTrue(sts.serviceClientConfiguration().endpointOverride().isEmpty(),
                    "STS must not be sent to DynamoDB's override: " + sts.serviceClientConfiguration().endpointOverride());
        }
        // the credentials own their STS client: closing them closes it
        AwsCredentialsProvider credentials = factory.credentials();
        assertInstanceOf(AutoCloseable.class, credentials).close();
    }

    @Test
    void regionComesFromTheOptionOrTheTableArn() {
        assertEquals(Region.EU_WEST_1,
                new AwsClientFactory(configuration("arn:aws:dynamodb:eu-west-1:1:table/orders").awsOptions()).region());
        DynamoDbCdcConfiguration byOption = configuration("orders");
        byOption.setRegion("us-west-2");
        assertEquals(Region.US_WEST_2, new AwsClientFactory(byOption.awsOptions()).region());
        assertNull(new AwsClientFactory(configuration("orders").awsOptions()).region(), "left to the SDK's default chain");
    }

    @Test
    void endpointOverrideMustBeAnAbsoluteUri() {
        assertEquals("localhost", AwsClientFactory.endpointOverride("uriEndpointOverride", "http://localhost:8000").getHost());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AwsClientFactory.endpointOverride("uriEndpointOverride", "localhost:8000"));
        assertTrue(e.getMessage().contains("uriEndpointOverride"), e.getMessage());
    }

    static final AwsCredentialsProvider SOURCE = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));

    /** The endpoint the client's own endpoint provider resolves for its region (no network call). */
    static URI resolved(AwsServiceClientConfiguration client, String bucket) {
        Region region = client.region();
        Object provider = client.endpointProvider().orElseThrow();
        if (provider instanceof DynamoDbEndpointProvider ddb) {
            return ddb.resolveEndpoint(DynamoDbEndpointParams.builder().region(region).build()).join().url();
        }
        if (provider instanceof DynamoDbStreamsEndpointProvider streams) {
            return streams.resolveEndpoint(DynamoDbStreamsEndpointParams.builder().region(region).build()).join().url();
        }
        if (provider instanceof S3EndpointProvider s3) {
            return s3.resolveEndpoint(S3EndpointParams.builder().region(region).bucket(bucket).build()).join().url();
        }
        return ((StsEndpointProvider) provider).resolveEndpoint(StsEndpointParams.builder().region(region).build())
                .join().url();
    }

    @Test
    void withoutAnOverrideEveryClientUsesAwssHttpsEndpoint() {
        DynamoDbCdcConfiguration configuration = configuration("arn:aws:dynamodb:eu-west-1:1:table/orders");
        configuration.setStsRoleArn("arn:aws:iam::123456789012:role/cdc");
        configuration.setExportS3Bucket("exports");
        AwsClientFactory factory = new AwsClientFactory(configuration.awsOptions());
        try (DynamoDbClient ddb = factory.dynamoDb(SOURCE); DynamoDbStreamsClient streams = factory.streams(SOURCE);
             S3Client s3 = factory.s3(SOURCE); StsClient sts = factory.sts(SOURCE)) {
            for (AwsServiceClientConfiguration client : List.of(ddb.serviceClientConfiguration(),
                    streams.serviceClientConfiguration(), s3.serviceClientConfiguration(),
                    sts.serviceClientConfiguration())) {
                assertTrue(client.endpointOverride().isEmpty(), "no override: " + client.endpointOverride());
            }
            assertEquals(URI.create("https://dynamodb.eu-west-1.amazonaws.com"),
                    resolved(ddb.serviceClientConfiguration(), null));
            assertEquals(URI.create("https://streams.dynamodb.eu-west-1.amazonaws.com"),
                    resolved(streams.serviceClientConfiguration(), null));
            assertEquals(URI.create("https://exports.s3.eu-west-1.amazonaws.com"),
                    resolved(s3.serviceClientConfiguration(), "exports"));
            assertEquals(URI.create("https://sts.eu-west-1.amazonaws.com"),
                    resolved(sts.serviceClientConfiguration(), null));
        }
    }

    @Test
    void anHttpEndpointIsUsedOnlyWhereItIsExplicitlyGiven() {
        DynamoDbCdcConfiguration configuration = configuration("arn:aws:dynamodb:eu-west-1:1:table/orders");
        configuration.setStsRoleArn("arn:aws:iam::123456789012:role/cdc");
        configuration.setUriEndpointOverride("http://localhost:8000");
        AwsClientFactory factory = new AwsClientFactory(configuration.awsOptions());
        try (DynamoDbClient ddb = factory.dynamoDb(SOURCE); DynamoDbStreamsClient streams = factory.streams(SOURCE);
             S3Client s3 = factory.s3(SOURCE); StsClient sts = factory.sts(SOURCE)) {
            assertEquals(URI.create("http://localhost:8000"), ddb.serviceClientConfiguration().endpointOverride()
                    .orElseThrow());
            assertEquals(URI.create("http://localhost:8000"), streams.serviceClientConfiguration().endpointOverride()
                    .orElseThrow());
            assertTrue(s3.serviceClientConfiguration().endpointOverride().isEmpty(), "S3 keeps AWS's https endpoint");
            assertTrue(sts.serviceClientConfiguration().endpointOverride().isEmpty(), "STS keeps AWS's https endpoint");
        }
        configuration.setS3UriEndpointOverride("http://localhost:9090");
        configuration.setStsUriEndpointOverride("https://vpce-1.sts.eu-west-1.vpce.amazonaws.com");
        factory = new AwsClientFactory(configuration.awsOptions()); // options are read once, as at a start
        try (S3Client s3 = factory.s3(SOURCE); StsClient sts = factory.sts(SOURCE)) {
            assertEquals(URI.create("http://localhost:9090"), s3.serviceClientConfiguration().endpointOverride()
                    .orElseThrow());
            assertEquals(URI.create("https://vpce-1.sts.eu-west-1.vpce.amazonaws.com"),
                    sts.serviceClientConfiguration().endpointOverride().orElseThrow());
        }
    }

    @Test
    void stsEndpointOverrideNeedsARoleAndAnAbsoluteUri() {
        DynamoDbCdcConfiguration configuration = configuration("orders");
        configuration.setStsUriEndpointOverride("https://sts.example");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, configuration::validate);
        assertEquals("stsUriEndpointOverride needs stsRoleArn", e.getMessage());
        configuration.setStsRoleArn("arn:aws:iam::123456789012:role/cdc");
        configuration.setStsUriEndpointOverride("sts.example:443");
        e = assertThrows(IllegalArgumentException.class, () -> new AwsClientFactory(configuration.awsOptions()).sts(SOURCE));
        assertEquals("stsUriEndpointOverride must be an absolute URI such as https://host:port, was 'sts.example:443'",
                e.getMessage());
    }
}
