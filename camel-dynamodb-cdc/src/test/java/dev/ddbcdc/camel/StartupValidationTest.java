package dev.ddbcdc.camel;

import java.util.Map;

import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Endpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeAll;
import dev.ddbcdc.camel.checkpoint.JdbcStateRepository;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad options and tables fail at endpoint creation or route start, with messages naming the cause. */
class StartupValidationTest {

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;

    @BeforeAll
    static void start() {
        ddb = local.get();
        Tables.createWithoutStream(ddb.client(), "no_stream");
        Tables.createWithStream(ddb.client(), "keys_only", StreamViewType.KEYS_ONLY);
        Tables.createWithStream(ddb.client(), "new_image", StreamViewType.NEW_IMAGE);
    }

    static String startFailure(String uri) {
        return startFailure(new CdcHarness(), uri);
    }

    /** Every message of the chain of the exception that starting {@code cdc} with {@code uri} throws. */
    static String startFailure(CdcHarness cdc, String uri) {
        Exception e = assertThrows(Exception.class, () -> cdc.start(uri));
        cdc.close();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append(" | ");
        }
        return messages.toString();
    }

    @Test
    void unknownEnumValueNamesTheOptionAndTheAllowedValues() {
        String message = startFailure(CdcHarness.uri(ddb, "new_image", "startPosition=OLDEST"));
        assertTrue(message.contains("startPosition") && message.contains("OLDEST"), message);
        assertTrue(message.contains("TRIM_HORIZON"), message);
    }

    @Test
    void aStartTimestampGoesWithAtTimestampOnlyAndMustBeATime() {
        String message = startFailure(CdcHarness.uri(ddb, "new_image", "startPosition=AT_TIMESTAMP"));
        assertTrue(message.contains("startPosition=AT_TIMESTAMP needs startTimestamp"), message);
        message = startFailure(CdcHarness.uri(ddb, "new_image", "startTimestamp=2026-12-01T08:00:00Z"));
        assertTrue(message.contains("startTimestamp is set, but startPosition is LATEST"), message);
        message = startFailure(CdcHarness.uri(ddb, "new_image", "startPosition=AT_TIMESTAMP&startTimestamp=yesterday"));
        assertTrue(message.contains("startTimestamp 'yesterday' is not a time"), message);
        message = startFailure(CdcHarness.uri(ddb, "new_image", "exportS3Bucket=b&startPosition=AT_TIMESTAMP"
                                                                + "&startTimestamp=2026-12-01T08:00:00Z"));
        assertTrue(message.contains("startPosition=AT_TIMESTAMP does not go with a snapshot"), message);
    }

    @Test
    void snapshotOptionsAreChecked() {
        String message = startFailure(CdcHarness.uri(ddb, "new_image", "exportS3Bucket=b&exportFormat=CSV"));
        assertTrue(message.contains("exportFormat must be one of [DYNAMODB_JSON, ION], was 'CSV'"), message);
        message = startFailure(CdcHarness.uri(ddb, "new_image", "exportS3Bucket=b&streamOverlap=30s"));
        assertTrue(message.contains("streamOverlap must be at least 60000 ms"), message);
        message = startFailure(CdcHarness.uri(ddb, "new_image", "exportS3Bucket=b&maxConcurrentDataFiles=-1"));
        assertTrue(message.contains("maxConcurrentDataFiles must be 0 (one per processor) or more"), message);
        message = startFailure(CdcHarness.uri(ddb, "new_image", "exportS3Bucket=b"
                + "&exportArn=arn:aws:dynamodb:us-east-1:1:table/new_image/export/01700000000000-abcdef01"));
        assertTrue(message.contains("exportArn adopts an existing export") && message.contains("exportS3Bucket"),
                message);
    }

    @Test
    void unknownOptionIsRejected() {
        String message = startFailure(CdcHarness.uri(ddb, "new_image", "startPositon=LATEST"));
        assertTrue(message.contains("startPositon"), message);
    }

    @Test
    void outOfRangeValuesAreRejected() {
        String message = startFailure(CdcHarness.uri(ddb, "new_image", "maxRecordsPerRequest=5000"));
        assertTrue(message.contains("maxRecordsPerRequest must be between 1 and 1000"), message);
        message = startFailure(CdcHarness.uri(ddb, "new_image", "consumerId=a/b"));
        assertTrue(message.contains("consumerId"), message);
    }

    @Test
    void aMaxRecordAgeThatIsNotPositiveIsRejectedNamingTheOption() {
        for (String value : new String[] { "0", "-1000", "0s" }) {
            String message = startFailure(CdcHarness.uri(ddb, "new_image", "maxRecordAge=" + value));
            assertTrue(message.contains("maxRecordAge must be positive"), value + ": " + message);
        }
    }

    @Test
    void standbyOptionsAreChecked() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:standby-options;DB_CLOSE_DELAY=-1");
        String message = startFailure(new CdcHarness().bind("checkpoints", new JdbcStateRepository(dataSource)),
                CdcHarness.uri(ddb, "new_image", "clustered=true&checkpointRepository=#checkpoints"));
        assertTrue(message.contains("clustered=true but the CamelContext has no single cluster service"), message);
        message = startFailure(CdcHarness.uri(ddb, "new_image", "clusterNamespace=orders"));
        assertTrue(message.contains("clusterNamespace is set but no cluster service is"), message);
        message = startFailure(CdcHarness.uri(ddb, "new_image", "clustered=true&clusterNamespace=Orders_1"));
        assertTrue(message.contains("clusterNamespace must be 1 to 63 lower-case letters"), message);
        String why = startFailure(new CdcHarness().bind("cluster", new FileLockClusterService()),
                CdcHarness.uri(ddb, "new_image", "clusterService=#cluster"));
        assertTrue(why.contains("needs a checkpointRepository that several instances can share safely")
                   && why.contains("none is set"), why);
    }

    @Test
    void missingTableFailsAtStart() {
        String message = startFailure(CdcHarness.uri(ddb, "does_not_exist", ""));
        assertTrue(message.contains("'does_not_exist' does not exist"), message);
    }

    @Test
    void tableWithoutStreamFailsAtStartSayingHowToEnableIt() {
        String message = startFailure(CdcHarness.uri(ddb, "no_stream", ""));
        assertTrue(message.contains("'no_stream' has no stream enabled"), message);
        assertTrue(message.contains("StreamViewType=NEW_AND_OLD_IMAGES"), message);
    }

    @Test
    void streamWithoutImagesFailsAtStart() {
        String message = startFailure(CdcHarness.uri(ddb, "keys_only", ""));
        assertTrue(message.contains("KEYS_ONLY"), message);
    }

    @Test
    void oldImageOnRemoveNeedsNewAndOldImages() {
        String message = startFailure(CdcHarness.uri(ddb, "new_image", "viewOnRemove=OLD_IMAGE"));
        assertTrue(message.contains("viewOnRemove=OLD_IMAGE needs stream view type NEW_AND_OLD_IMAGES"), message);
    }

    @Test
    void tableArnOfAnotherRegionThanTheRegionOption() {
        String message = startFailure(CdcHarness.uri(ddb, "arn:aws:dynamodb:eu-west-1:123456789012:table/new_image", ""));
        assertTrue(message.contains("The table ARN names region eu-west-1 but the region option is us-east-1; a table"
                                    + " can only be read in its own region"), message);
    }

    @Test
    void malformedArnIsRejected() {
        String message = startFailure("dynamodb-cdc:arn:aws:s3:::bucket?region=us-east-1");
        assertTrue(message.contains("is not a DynamoDB table ARN"), message);
    }

    @Test
    void tableArnSetsTheTableAndRegion() throws Exception {
        try (CdcHarness cdc = new CdcHarness().start("dynamodb-cdc:arn:aws:dynamodb:us-east-1:000000000000:table/new_image"
                                                     + "?uriEndpointOverride=" + ddb.endpoint() + "&accessKey="
                                                     + LocalDynamoDb.ACCESS_KEY + "&secretKey=" + LocalDynamoDb.SECRET_KEY)) {
            assertEquals(org.apache.camel.ServiceStatus.Started, cdc.context.getRouteController().getRouteStatus(CdcHarness.ROUTE_ID));
        }
    }

    @Test
    void autowiredClientsTakePrecedence() throws Exception {
        // no endpoint override and no credentials in the URI: only the autowired beans can reach DynamoDB Local
        try (CdcHarness cdc = new CdcHarness().bind("ddb", ddb.client()).bind("streams", ddb.streamsClient())
                .start("dynamodb-cdc:new_image?region=eu-central-1&startPosition=TRIM_HORIZON&idlePollDelay=50")) {
            ddb.client().putItem(b -> b.tableName("new_image")
                    .item(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("via-beans"))));
            cdc.await(1, java.time.Duration.ofSeconds(20));
            assertEquals("via-beans", cdc.received.get(0).getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY));
        }
    }

    @Test
    void credentialOptionsMustComeTogether() {
        String message = startFailure("dynamodb-cdc:t?region=us-east-1&accessKey=AKIAEXAMPLE");
        assertTrue(message.contains("accessKey and secretKey must be set together"), message);
        message = startFailure("dynamodb-cdc:t?region=us-east-1&useDefaultCredentialsProvider=true&profileCredentialsName=p");
        assertTrue(message.contains("useDefaultCredentialsProvider=true cannot be combined"), message);
        message = startFailure("dynamodb-cdc:t?region=us-east-1&stsExternalId=x");
        assertTrue(message.contains("stsExternalId needs stsRoleArn"), message);
    }

    @Test
    void secretsAreNeverInToStringOrErrors() throws Exception {
        String secret = "SuperSecretValue123";
        String token = "SessionTokenValue456";
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            Endpoint endpoint = context.getEndpoint("dynamodb-cdc:orders?region=us-east-1&accessKey=AKIDEXAMPLE&secretKey="
                                                    + secret + "&sessionToken=" + token);
            DynamoDbCdcConfiguration configuration = ((DynamoDbCdcEndpoint) endpoint).getConfiguration();
            for (String text : new String[] { endpoint.toString(), configuration.toString() }) {
                assertFalse(text.contains(secret), text);
                assertFalse(text.contains(token), text);
            }
        }
        String message = startFailure("dynamodb-cdc:missing?region=us-east-1&uriEndpointOverride=" + ddb.endpoint()
                                      + "&accessKey=" + LocalDynamoDb.ACCESS_KEY + "&secretKey=" + secret);
        assertFalse(message.contains(secret), message);
    }

    @Test
    void stsHeaderOverridesAreCollectedFromThePrefix() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            DynamoDbCdcEndpoint endpoint = (DynamoDbCdcEndpoint) context.getEndpoint(
                    "dynamodb-cdc:orders?region=us-east-1&stsRoleArn=arn:aws:iam::123456789012:role/cdc"
                    + "&stsExternalId=ext-1&stsHeaderOverrides.x-team=payments&stsHeaderOverrides.x-env=prod");
            assertEquals(Map.of("x-team", "payments", "x-env", "prod"),
                    endpoint.getConfiguration().getStsHeaderOverrides());
        }
    }

    @Test
    void producerIsRefused() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            Endpoint endpoint = context.getEndpoint("dynamodb-cdc:orders?region=us-east-1");
            assertThrows(UnsupportedOperationException.class, endpoint::createProducer);
        }
    }

}
