package dev.ddbcdc.localaws;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryUtils;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault-injecting front against the real local backends and the real AWS SDK: forwarding is transparent, and
 * each injected fault reaches the SDK as the exception AWS would cause, classified the same way (throttling,
 * retryable 5xx, I/O, not retryable).
 */
class FaultInjectingFrontTest {

    static final String TABLE = "faulty";
    static final String GET_RECORDS = "DynamoDBStreams_20120810.GetRecords";
    static final String GET_ITEM = "DynamoDB_20120810.GetItem";

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();
    static FaultInjectingFront ddbFront;
    static FaultInjectingFront s3Front;

    @BeforeAll
    static void start() {
        LocalAws aws = local.get();
        Tables.createWithStream(aws.dynamoDb(), TABLE, StreamViewType.NEW_IMAGE);
        aws.dynamoDb().putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("one"))));
        aws.createBucket("faulty");
        aws.s3().putObject(b -> b.bucket("faulty").key("data/one.json"), RequestBody.fromString("{\"pk\":\"one\"}"));
        ddbFront = FaultInjectingFront.start(aws.dynamoDbEndpoint(), 42);
        s3Front = FaultInjectingFront.start(aws.s3Endpoint(), 42);
    }

    @AfterAll
    static void stop() {
        ddbFront.close();
        s3Front.close();
    }

    static DynamoDbClient dynamoDb(boolean retries) {
        return DynamoDbClient.builder().endpointOverride(ddbFront.endpoint()).region(LocalDynamoDb.REGION)
                .credentialsProvider(LocalDynamoDb.credentials()).httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> {
                    if (!retries) {
                        o.retryStrategy(AwsRetryStrategy.doNotRetry());
                    }
                }).build();
    }

    static DynamoDbStreamsClient streams() {
        return DynamoDbStreamsClient.builder().endpointOverride(ddbFront.endpoint()).region(LocalDynamoDb.REGION)
                .credentialsProvider(LocalDynamoDb.credentials()).httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    static S3Client s3(URI endpoint, boolean retries) {
        return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(LocalDynamoDb.REGION)
                .credentialsProvider(LocalDynamoDb.credentials()).httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> {
                    if (!retries) {
                        o.retryStrategy(AwsRetryStrategy.doNotRetry());
                    }
                }).build();
    }

    static String getItem(DynamoDbClient client) {
        return client.getItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("one")))).item().get("pk")
                .s();
    }

    <T extends SdkException> T injectOnce(Fault fault, DynamoDbClient client, Class<T> expected) {
        ddbFront.clearRules().add(FaultRule.onRequests(RequestMatcher.operation(GET_ITEM), fault, 1));
        long before = ddbFront.injected(fault);
        T error = assertThrows(expected, () -> getItem(client));
        assertEquals(before + 1, ddbFront.injected(fault));
        ddbFront.clearRules();
        return error;
    }

    @Test
    void forwardsUnchangedWithoutRules() {
        ddbFront.clearRules();
        try (DynamoDbClient client = dynamoDb(false); S3Client s3 = s3(s3Front.endpoint(), false)) {
            assertEquals("one", getItem(client));
            assertEquals("{\"pk\":\"one\"}", s3.getObjectAsBytes(b -> b.bucket("faulty").key("data/one.json"))
                    .asUtf8String());
            assertEquals(12, s3.headObject(b -> b.bucket("faulty").key("data/one.json")).contentLength());
            assertTrue(s3.listObjectsV2(b -> b.bucket("faulty")).contents().size() >= 1);
        }
    }

    @Test
    void jsonErrorsReachTheSdkAsTheModeledExceptionsClassifiedAsAwsWould() {
        try (DynamoDbClient client = dynamoDb(false)) {
            ProvisionedThroughputExceededException throughput = injectOnce(Fault.PROVISIONED_THROUGHPUT_EXCEEDED,
                    client, ProvisionedThroughputExceededException.class);
            assertEquals(400, throughput.statusCode());
            assertTrue(throughput.isThrottlingException());
            assertTrue(RetryUtils.isThrottlingException(throughput));

            AwsServiceException throttling = injectOnce(Fault.THROTTLING, client, AwsServiceException.class);
            assertEquals("ThrottlingException", throttling.awsErrorDetails().errorCode());
            assertEquals(400, throttling.statusCode());
            assertTrue(throttling.isThrottlingException());

            LimitExceededException limit = injectOnce(Fault.LIMIT_EXCEEDED, client, LimitExceededException.class);
            assertEquals(400, limit.statusCode());
            assertFalse(limit.isThrottlingException(), "the SDK does not treat LimitExceeded as throttling");

            InternalServerErrorException internal = injectOnce(Fault.INTERNAL_SERVER_ERROR, client,
                    InternalServerErrorException.class);
            assertEquals(500, internal.statusCode());
            assertTrue(RetryUtils.isServiceException(internal));

            AwsServiceException unavailable = injectOnce(Fault.SERVICE_UNAVAILABLE, client, AwsServiceException.class);
            assertEquals(503, unavailable.statusCode());

            SdkClientException reset = injectOnce(Fault.CONNECTION_RESET, client, SdkClientException.class);
            assertInstanceOf(java.io.IOException.class, rootCause(reset), "an I/O failure: " + reset);
        }
    }

    @Test
    void theSdkRetriesThrottlingFiveHundredsAndResetsOnItsOwn() {
        try (DynamoDbClient client = dynamoDb(true)) {
            for (Fault fault : new Fault[] {Fault.PROVISIONED_THROUGHPUT_EXCEEDED, Fault.THROTTLING,
                Fault.INTERNAL_SERVER_ERROR, Fault.SERVICE_UNAVAILABLE, Fault.CONNECTION_RESET}) {
                ddbFront.clearRules().add(FaultRule.onRequests(RequestMatcher.operation(GET_ITEM), fault, 1));
                long before = ddbFront.injected(fault);
                assertEquals("one", getItem(client), fault + " retried by the SDK");
                assertEquals(before + 1, ddbFront.injected(fault), fault.name());
            }
            ddbFront.clearRules();
        }
    }

    @Test
    void getRecordsAnswersExpiredIteratorOnSchedule() {
        try (DynamoDbStreamsClient streams = streams()) {
            String streamArn = local.get().dynamoDb().describeTable(b -> b.tableName(TABLE)).table().latestStreamArn();
            String shard = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().get(0)
                    .shardId();
            String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            ddbFront.clearRules().add(FaultRule.onRequests(RequestMatcher.operation(GET_RECORDS),
                    Fault.EXPIRED_ITERATOR, 2));
            long before = ddbFront.injected(Fault.EXPIRED_ITERATOR);
            assertEquals(1, streams.getRecords(b -> b.shardIterator(iterator)).records().size());
            ExpiredIteratorException expired = assertThrows(ExpiredIteratorException.class,
                    () -> streams.getRecords(b -> b.shardIterator(iterator)));
            assertEquals(400, expired.statusCode());
            assertFalse(expired.retryable());
            assertEquals(before + 1, ddbFront.injected(Fault.EXPIRED_ITERATOR));
            ddbFront.clearRules();
        }
    }

    @Test
    void slowResponsesAreDelayedNotFailed() {
        try (DynamoDbClient client = dynamoDb(false)) {
            ddbFront.clearRules().add(FaultRule.onRequests(RequestMatcher.operation(GET_ITEM), Fault.SLOW_RESPONSE, 1)
                    .delayed(300));
            long start = System.nanoTime();
            assertEquals("one", getItem(client));
            assertTrue(System.nanoTime() - start >= 300_000_000L);
            ddbFront.clearRules();
        }
    }

    @Test
    void s3ErrorsAreXmlAndSlowDownIsThrottling() {
        try (S3Client s3 = s3(s3Front.endpoint(), false); S3Client retrying = s3(s3Front.endpoint(), true)) {
            RequestMatcher get = RequestMatcher.s3("GET", "/faulty/data/.*");
            s3Front.clearRules().add(FaultRule.onRequests(get, Fault.THROTTLING, 1, 3))
                    .add(FaultRule.onRequests(get, Fault.INTERNAL_SERVER_ERROR, 2))
                    .add(FaultRule.onRequests(get, Fault.CONNECTION_RESET, 4));
            S3Exception slowDown = assertThrows(S3Exception.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket("faulty").key("data/one.json")));
            assertEquals(503, slowDown.statusCode());
            assertEquals("SlowDown", slowDown.awsErrorDetails().errorCode());
            assertTrue(slowDown.isThrottlingException());
            S3Exception internal = assertThrows(S3Exception.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket("faulty").key("data/one.json")));
            assertEquals(500, internal.statusCode());
            assertEquals("InternalError", internal.awsErrorDetails().errorCode());
            // a throttle then a reset, both retried by the SDK
            assertEquals("{\"pk\":\"one\"}", retrying.getObjectAsBytes(b -> b.bucket("faulty").key("data/one.json"))
                    .asUtf8String());
            assertEquals(2, s3Front.injected(Fault.THROTTLING));
            assertEquals(1, s3Front.injected(Fault.INTERNAL_SERVER_ERROR));
            assertEquals(1, s3Front.injected(Fault.CONNECTION_RESET));
            s3Front.clearRules();
        }
    }

    @Test
    void aSeededRateGivesTheSameFaultsForTheSameRequests() {
        try (FaultInjectingFront a = FaultInjectingFront.start(local.get().dynamoDbEndpoint(), 7);
             FaultInjectingFront b = FaultInjectingFront.start(local.get().dynamoDbEndpoint(), 7)) {
            StringBuilder first = new StringBuilder();
            StringBuilder second = new StringBuilder();
            for (FaultInjectingFront front : new FaultInjectingFront[] {a, b}) {
                front.add(FaultRule.atRate(RequestMatcher.operation(GET_ITEM), Fault.INTERNAL_SERVER_ERROR, 0.3));
                StringBuilder pattern = front == a ? first : second;
                try (DynamoDbClient client = DynamoDbClient.builder().endpointOverride(front.endpoint())
                        .region(LocalDynamoDb.REGION).credentialsProvider(LocalDynamoDb.credentials())
                        .httpClientBuilder(ApacheHttpClient.builder())
                        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
                    for (int i = 0; i < 40; i++) {
                        try {
                            getItem(client);
                            pattern.append('.');
                        } catch (InternalServerErrorException e) {
                            pattern.append('x');
                        }
                    }
                }
            }
            assertEquals(first.toString(), second.toString());
            long faults = a.injected(Fault.INTERNAL_SERVER_ERROR);
            assertTrue(faults >= 4 && faults <= 24, "about 30% of 40: " + faults + " " + first);
            assertEquals(40, a.requests());
        }
    }

    static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
