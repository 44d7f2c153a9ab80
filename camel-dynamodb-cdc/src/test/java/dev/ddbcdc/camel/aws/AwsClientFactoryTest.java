package dev.ddbcdc.camel.aws;

import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.DynamoDbCdcConfiguration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
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
        AssumeRoleRequest request = new AwsClientFactory(configuration).assumeRoleRequest();
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
        AwsClientFactory factory = new AwsClientFactory(configuration);
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
                new AwsClientFactory(configuration("arn:aws:dynamodb:eu-west-1:1:table/orders")).region());
        DynamoDbCdcConfiguration byOption = configuration("orders");
        byOption.setRegion("us-west-2");
        assertEquals(Region.US_WEST_2, new AwsClientFactory(byOption).region());
        assertNull(new AwsClientFactory(configuration("orders")).region(), "left to the SDK's default chain");
    }

    @Test
    void endpointOverrideMustBeAnAbsoluteUri() {
        assertEquals("localhost", AwsClientFactory.endpointOverride("uriEndpointOverride", "http://localhost:8000").getHost());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AwsClientFactory.endpointOverride("uriEndpointOverride", "localhost:8000"));
        assertTrue(e.getMessage().contains("uriEndpointOverride"), e.getMessage());
    }
}
