package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import dev.ddbcdc.localaws.LocalSts;
import dev.ddbcdc.localaws.SignedRequestRecorder.SignedRequest;
import dev.ddbcdc.localaws.SignedRequestRecorder;
import dev.ddbcdc.localaws.Tables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stsRoleArn end to end: the consumer assumes the role through a local STS (stsUriEndpointOverride), sending the role
 * ARN, external id, session name and header overrides signed with the source credentials, then signs every DynamoDB
 * and DynamoDB Streams request with the temporary credentials STS issued, refreshing them before they expire.
 */
class AssumeRoleTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/orders-cdc";
    static final String SOURCE_KEY = "AKIASOURCEIDENTITY";
    static final String SOURCE_SECRET = "SourceSecretValue314";

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;
    LocalSts sts;
    SignedRequestRecorder dynamoDb;

    @BeforeAll
    static void table() {
        ddb = local.get();
        Tables.createWithStream(ddb.client(), "assumed", StreamViewType.NEW_IMAGE);
    }

    @BeforeEach
    void fronts() {
        sts = LocalSts.start();
        dynamoDb = SignedRequestRecorder.start(ddb.endpoint());
    }

    @AfterEach
    void close() {
        sts.close();
        dynamoDb.close();
    }

    String uri(String options) {
        return "dynamodb-cdc:assumed?region=us-east-1&uriEndpointOverride=" + dynamoDb.endpoint() + "&accessKey="
               + SOURCE_KEY + "&secretKey=" + SOURCE_SECRET + "&stsRoleArn=" + ROLE + "&stsUriEndpointOverride="
               + sts.endpoint() + "&startPosition=TRIM_HORIZON&idlePollDelay=50&pollDelay=0"
               + (options.isEmpty() ? "" : "&" + options);
    }

    static void put(String pk) {
        ddb.client().putItem(b -> b.tableName("assumed").item(Map.of("pk", AttributeValue.fromS(pk))));
    }

    @Test
    void assumesTheRoleAndSignsDynamoDbRequestsWithTheTemporaryCredentials() throws Exception {
        put("assume-1");
        try (CdcHarness cdc = new CdcHarness().start(uri("stsExternalId=ext-42&stsRoleSessionName=orders-cdc-test"
                                                         + "&stsHeaderOverrides.x-team=payments"
                                                         + "&stsHeaderOverrides.x-cost-center=cc-7"))) {
            CdcHarness.awaitCondition(() -> cdc.received.stream().anyMatch(e -> "assume-1".equals(
                    e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))), Duration.ofSeconds(20),
                    () -> "the change, read with the role's credentials; STS calls " + sts.calls());
        }
        List<LocalSts.Call> calls = sts.calls();
        assertFalse(calls.isEmpty());
        for (LocalSts.Call call : calls) {
            assertEquals("AssumeRole", call.parameter("Action"));
            assertEquals(ROLE, call.parameter("RoleArn"));
            assertEquals("ext-42", call.parameter("ExternalId"));
            assertEquals("orders-cdc-test", call.parameter("RoleSessionName"));
            assertEquals("payments", call.header("x-team"));
            assertEquals("cc-7", call.header("x-cost-center"));
            assertEquals(SOURCE_KEY, call.signingAccessKeyId(), "AssumeRole is signed by the source identity");
        }
        LocalSts.Issued issued = sts.issued().get(0);
        List<SignedRequest> requests = dynamoDb.requests();
        assertTrue(requests.stream().anyMatch(r -> "DynamoDB_20120810.DescribeTable".equals(r.target())), "" + requests);
        assertTrue(requests.stream().anyMatch(r -> "DynamoDBStreams_20120810.GetRecords".equals(r.target())),
                "" + requests);
        for (SignedRequest request : requests) {
            assertEquals(issued.accessKeyId(), request.accessKeyId(), "signed with the role's key: " + request);
            assertEquals(issued.sessionToken(), request.securityToken(), "with the role's session token");
        }
    }

    @Test
    void credentialsAreRefreshedBeforeTheyExpire() throws Exception {
        // the SDK's StsAssumeRoleCredentialsProvider refreshes credentials that expire within its prefetch time (5
        // minutes) and blocks for new ones within its stale time (1 minute): 65 s credentials are refreshed at once
        sts.credentialsLifetime(Duration.ofSeconds(65));
        try (CdcHarness cdc = new CdcHarness().start(uri(""))) {
            CdcHarness.awaitCondition(() -> sts.issued().size() >= 2, Duration.ofSeconds(30),
                    () -> "a second AssumeRole; issued " + sts.issued());
            String second = sts.issued().get(1).accessKeyId();
            CdcHarness.awaitCondition(() -> dynamoDb.requests().stream().anyMatch(r -> second.equals(r.accessKeyId())),
                    Duration.ofSeconds(10), () -> "a request signed with the refreshed key " + second);
            put("after-refresh");
            CdcHarness.awaitCondition(() -> cdc.received.stream().anyMatch(e -> "after-refresh".equals(
                    e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))), Duration.ofSeconds(20),
                    () -> "the change after the refresh");
        }
        Set<String> issuedKeys = sts.issued().stream().map(LocalSts.Issued::accessKeyId).collect(Collectors.toSet());
        assertTrue(dynamoDb.requests().stream().allMatch(r -> issuedKeys.contains(r.accessKeyId())),
                "every request signed with an issued key");
    }

    @Test
    void aRefusedAssumeRoleFailsTheStartWithAwsCodeAndNoSecret() {
        sts.denyNext("AccessDenied", "User: arn:aws:iam::123456789012:user/app is not authorized to perform:"
                                     + " sts:AssumeRole on resource: " + ROLE);
        String message = StartupValidationTest.startFailure(uri("stsExternalId=ext-42"));
        assertTrue(message.contains("not authorized to perform: sts:AssumeRole") && message.contains("403"), message);
        assertFalse(message.contains(SOURCE_SECRET), message);
        assertTrue(dynamoDb.requests().isEmpty(), "nothing reached DynamoDB: " + dynamoDb.requests());
    }
}
