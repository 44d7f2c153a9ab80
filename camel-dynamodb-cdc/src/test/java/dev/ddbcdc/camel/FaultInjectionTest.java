package dev.ddbcdc.camel;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.ddbcdc.camel.aws.AwsAttemptMetrics;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.metrics.MetricsRegistration;
import dev.ddbcdc.localaws.Fault;
import dev.ddbcdc.localaws.FaultInjectingFront;
import dev.ddbcdc.localaws.FaultRule;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.RequestMatcher;
import dev.ddbcdc.localaws.Tables;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer through a {@link FaultInjectingFront} that injects every fault kind at a seeded rate into the
 * DynamoDB Streams calls (streaming) and into the export calls and S3 reads (snapshot) while the table changes:
 * nothing is lost, the consumer recovers by itself (route started, phase STREAMING, readiness UP), and every injected
 * fault is visible: the SDK's failed attempts in {@code camel.dynamodb.cdc.aws.attempts.failed{type}} (exactly as
 * many as injected, by type), the calls that still failed after the SDK's retries in
 * {@code camel.dynamodb.cdc.errors{type}}, and each in the DEBUG log. Slow responses are not errors: they are
 * counted by the front only. {@code -Dreliability.soak=true} runs ten times the changes at higher rates;
 * {@code -Dreliability.seed=N} changes the seed. The figures are printed (see docs/reliability.md).
 */
class FaultInjectionTest {

    static final boolean SOAK = Boolean.getBoolean("reliability.soak");
    static final long SEED = Long.getLong("reliability.seed", 6L);
    static final double SCALE = SOAK ? 2.0 : 1.0;
    static final int KEYS = 40;
    static final int CHANGES = SOAK ? 4000 : 400;
    static final int SNAPSHOT_ITEMS = SOAK ? 5000 : 600;
    static final RequestMatcher STREAM_CALLS = RequestMatcher.operations("GetRecords", "GetShardIterator",
            "DescribeStream");
    static final RequestMatcher GET_RECORDS = RequestMatcher.operation("DynamoDBStreams_20120810.GetRecords");

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();
    static LocalAws aws;
    static FaultInjectingFront dynamoDbFront;
    static FaultInjectingFront s3Front;

    @BeforeAll
    static void fronts() {
        aws = local.get();
        dynamoDbFront = FaultInjectingFront.start(aws.dynamoDbEndpoint(), SEED);
        s3Front = FaultInjectingFront.start(aws.s3Endpoint(), SEED + 1);
    }

    @AfterAll
    static void close() {
        dynamoDbFront.close();
        s3Front.close();
    }

    static String uri(String table, String options) {
        return "dynamodb-cdc:" + table + "?region=us-east-1&uriEndpointOverride=" + dynamoDbFront.endpoint()
               + "&s3UriEndpointOverride=" + s3Front.endpoint() + "&accessKey=" + LocalDynamoDb.ACCESS_KEY
               + "&secretKey=" + LocalDynamoDb.SECRET_KEY
               + "&idlePollDelay=50&pollDelay=0&shardDiscoveryInterval=500&exportPollInterval=100&" + options;
    }

    @Test
    void streamingLosesNoChangeThroughEveryFaultKindAndCountsEachFault() throws Exception {
        String table = "faultstream";
        Tables.createWithStream(aws.dynamoDb(), table, StreamViewType.NEW_IMAGE);
        MeterRegistry registry = new SimpleMeterRegistry();
        Map<Fault, Long> before = dynamoDbFront.injectedByKind();
        long started = System.nanoTime();
        try (LogCapture logs = new LogCapture(); CdcHarness cdc = new CdcHarness()) {
            cdc.bind(MetricsRegistration.REGISTRY_NAME, registry);
            cdc.start(uri(table, "startPosition=TRIM_HORIZON&consumerId=faults"));
            cdc.awaitPhase(Phase.STREAMING, Duration.ofSeconds(20));
            // each kind once on a schedule (distinct GetRecords calls, so none hides another), then at seeded rates
            int n = 0;
            for (Fault fault : Fault.values()) {
                FaultRule scheduled = FaultRule.onRequests(GET_RECORDS, fault, n += 2);
                dynamoDbFront.add(fault == Fault.SLOW_RESPONSE ? scheduled.delayed(150) : scheduled);
            }
            dynamoDbFront.add(FaultRule.atRate(STREAM_CALLS, Fault.PROVISIONED_THROUGHPUT_EXCEEDED, 0.05 * SCALE))
                    .add(FaultRule.atRate(STREAM_CALLS, Fault.THROTTLING, 0.05 * SCALE))
                    .add(FaultRule.atRate(STREAM_CALLS, Fault.INTERNAL_SERVER_ERROR, 0.04 * SCALE))
                    .add(FaultRule.atRate(STREAM_CALLS, Fault.SERVICE_UNAVAILABLE, 0.04 * SCALE))
                    .add(FaultRule.atRate(STREAM_CALLS, Fault.CONNECTION_RESET, 0.04 * SCALE))
                    .add(FaultRule.atRate(STREAM_CALLS, Fault.SLOW_RESPONSE, 0.04 * SCALE).delayed(150))
                    .add(FaultRule.atRate(GET_RECORDS, Fault.EXPIRED_ITERATOR, 0.05 * SCALE))
                    .add(FaultRule.atRate(GET_RECORDS, Fault.LIMIT_EXCEEDED, 0.04 * SCALE));
            Set<String> written = new HashSet<>();
            for (int i = 0; i < CHANGES; i++) {
                String key = "k" + (i % KEYS);
                String version = "v" + i;
                aws.dynamoDb().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(key), "v",
                        AttributeValue.fromS(version))));
                written.add(key + "=" + version);
                if (i % 20 == 19) {
                    Thread.sleep(SOAK ? 60 : 150);
                }
            }
            CdcHarness.awaitCondition(() -> delivered(cdc).containsAll(written), Duration.ofSeconds(SOAK ? 300 : 60),
                    () -> "lost so far " + lost(written, delivered(cdc)) + "; injected "
                          + since(before, dynamoDbFront.injectedByKind()));
            dynamoDbFront.clearRules();
            Map<Fault, Long> injected = since(before, dynamoDbFront.injectedByKind());
            Set<String> delivered = delivered(cdc);

            // recovered by itself
            assertEquals(ServiceStatus.Started, cdc.context.getRouteController().getRouteStatus(CdcHarness.ROUTE_ID));
            assertEquals(Phase.STREAMING, cdc.consumer().getPhase());
            assertEquals(HealthCheck.State.UP, HealthChecks.readiness(cdc).getState());
            assertEquals(Set.of(), lost(written, delivered), "lost changes");
            assertEquals(java.util.List.of(), cdc.handled, "nothing reached the exception handler");

            // every kind injected, every fault counted
            for (Fault fault : Fault.values()) {
                assertTrue(injected.get(fault) > 0, fault + " was injected: " + injected);
            }
            AwsAttemptMetrics attempts = cdc.consumer().getAwsAttemptMetrics();
            // the front counts a fault when it answers; the SDK counts the failed attempt a moment later
            long failures = injected.entrySet().stream().filter(e -> e.getKey() != Fault.SLOW_RESPONSE)
                    .mapToLong(Map.Entry::getValue).sum();
            CdcHarness.awaitCondition(() -> attempts.total() >= failures, Duration.ofSeconds(10),
                    () -> attempts.total() + " of " + failures + " failed attempts counted");
            String counted = "injected " + injected + ", SDK attempts failed: throttling " + attempts.throttling
                             + " server_error " + attempts.serverError + " io " + attempts.io + " other "
                             + attempts.other + " timeout " + attempts.timeout;
            assertEquals(injected.get(Fault.PROVISIONED_THROUGHPUT_EXCEEDED) + injected.get(Fault.THROTTLING),
                    attempts("throttling", registry), counted);
            assertEquals(injected.get(Fault.INTERNAL_SERVER_ERROR) + injected.get(Fault.SERVICE_UNAVAILABLE),
                    attempts("server_error", registry), counted);
            assertEquals(injected.get(Fault.CONNECTION_RESET), attempts("io", registry), counted);
            assertEquals(injected.get(Fault.EXPIRED_ITERATOR) + injected.get(Fault.LIMIT_EXCEEDED),
                    attempts("other", registry), counted);
            assertOneDebugLinePerFailedAttempt(attempts, logs, cdc);
            // not retried by the SDK: each reaches the consumer, which renews the iterator or backs off
            assertEquals(injected.get(Fault.EXPIRED_ITERATOR), errors("iterator_expired", registry));
            assertEquals(errors("iterator_expired", registry), logs.count("ShardReader", "iterator expired"));
            long throttled = errors("throttled", registry);
            assertTrue(throttled >= injected.get(Fault.LIMIT_EXCEEDED), "LimitExceeded reaches the consumer");
            assertEquals(throttled, logs.count("ShardReader", "throttled, retrying"));
            assertEquals(0, errors("trimmed_data", registry));

            System.out.printf("FAULTS streaming seed=%d soak=%s: written=%d delivered(distinct)=%d exchanges=%d lost=0"
                              + " injected=%s requests=%d sdkFailedAttempts=%d errors{throttled=%d aws_api=%d"
                              + " iterator_expired=%d} rewinds=%d seconds=%d%n", SEED, SOAK, written.size(),
                    delivered.size(), cdc.received.size(), injected, dynamoDbFront.requests(), attempts.total(),
                    throttled, errors("aws_api", registry), errors("iterator_expired", registry),
                    (long) registry.get("camel.dynamodb.cdc.rewinds").functionCounter().count(),
                    (System.nanoTime() - started) / 1_000_000_000L);
        } finally {
            dynamoDbFront.clearRules();
        }
    }

    @Test
    void theSnapshotDeliversEveryItemExactlyThroughEveryFaultKindAndCountsEachFault() throws Exception {
        String table = "faultsnap";
        String bucket = "faultsnap";
        Tables.createWithSortKeyAndStream(aws.dynamoDb(), table, StreamViewType.NEW_AND_OLD_IMAGES);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), table);
        aws.createBucket(bucket);
        SnapshotItems.fill(aws.dynamoDb(), table, SNAPSHOT_ITEMS);
        Map<String, Object> expected = SnapshotItems.table(aws.dynamoDb(), table);
        MeterRegistry registry = new SimpleMeterRegistry();
        Map<Fault, Long> ddbBefore = dynamoDbFront.injectedByKind();
        Map<Fault, Long> s3Before = s3Front.injectedByKind();
        long started = System.nanoTime();
        RequestMatcher s3Reads = RequestMatcher.s3("GET", "/" + bucket + "/.+");
        RequestMatcher exportCalls = RequestMatcher.operations("ExportTableToPointInTime", "DescribeExport");
        // the export has few files: a schedule makes sure each kind hits the S3 reads (odd numbers: the SDK's retry
        // of a failed read is the next request), a rate adds more
        s3Front.add(FaultRule.onRequests(s3Reads, Fault.THROTTLING, 1, 9))
                .add(FaultRule.onRequests(s3Reads, Fault.INTERNAL_SERVER_ERROR, 3))
                .add(FaultRule.onRequests(s3Reads, Fault.SERVICE_UNAVAILABLE, 5))
                .add(FaultRule.onRequests(s3Reads, Fault.CONNECTION_RESET, 7, 11))
                .add(FaultRule.onRequests(s3Reads, Fault.SLOW_RESPONSE, 2).delayed(100))
                .add(FaultRule.atRate(s3Reads, Fault.THROTTLING, 0.08 * SCALE))
                .add(FaultRule.atRate(s3Reads, Fault.INTERNAL_SERVER_ERROR, 0.05 * SCALE))
                .add(FaultRule.atRate(s3Reads, Fault.SERVICE_UNAVAILABLE, 0.05 * SCALE))
                .add(FaultRule.atRate(s3Reads, Fault.CONNECTION_RESET, 0.05 * SCALE))
                .add(FaultRule.atRate(s3Reads, Fault.SLOW_RESPONSE, 0.05 * SCALE).delayed(100));
        dynamoDbFront.add(FaultRule.atRate(exportCalls, Fault.PROVISIONED_THROUGHPUT_EXCEEDED, 0.1 * SCALE))
                .add(FaultRule.atRate(exportCalls, Fault.INTERNAL_SERVER_ERROR, 0.1 * SCALE))
                .add(FaultRule.atRate(exportCalls, Fault.CONNECTION_RESET, 0.1 * SCALE));
        try (LogCapture logs = new LogCapture(); CdcHarness cdc = new CdcHarness()) {
            cdc.bind(MetricsRegistration.REGISTRY_NAME, registry);
            cdc.start(uri(table, "exportS3Bucket=" + bucket + "&consumerId=faultsnap"));
            cdc.awaitPhase(Phase.STREAMING, Duration.ofSeconds(SOAK ? 300 : 60));
            s3Front.clearRules();
            dynamoDbFront.clearRules();
            Map<Fault, Long> s3Injected = since(s3Before, s3Front.injectedByKind());
            Map<Fault, Long> ddbInjected = since(ddbBefore, dynamoDbFront.injectedByKind());

            Map<String, Object> got = new HashMap<>();
            int reads = 0;
            for (Exchange exchange : cdc.received) {
                if ("READ".equals(exchange.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))) {
                    reads++;
                    Map<?, ?> body = exchange.getMessage().getBody(Map.class);
                    got.put(SnapshotItems.key((String) body.get("pk"), body.get("sk")), SnapshotItems.comparable(body));
                }
            }
            assertEquals(expected, got, "every item, value for value");
            long exportReadErrors = errors("export_read", registry);
            assertTrue(reads == SNAPSHOT_ITEMS || exportReadErrors > 0,
                    "duplicates only after a data file was read again: " + reads);
            assertEquals(ServiceStatus.Started, cdc.context.getRouteController().getRouteStatus(CdcHarness.ROUTE_ID));
            assertEquals(Phase.STREAMING, cdc.consumer().getPhase());
            assertEquals(HealthCheck.State.UP, HealthChecks.readiness(cdc).getState());

            for (Fault fault : new Fault[] {Fault.THROTTLING, Fault.INTERNAL_SERVER_ERROR, Fault.SERVICE_UNAVAILABLE,
                Fault.CONNECTION_RESET, Fault.SLOW_RESPONSE}) {
                assertTrue(s3Injected.get(fault) > 0, fault + " was injected into S3 reads: " + s3Injected);
            }
            AwsAttemptMetrics attempts = cdc.consumer().getAwsAttemptMetrics();
            assertEquals(s3Injected.get(Fault.THROTTLING) + ddbInjected.get(Fault.PROVISIONED_THROUGHPUT_EXCEEDED),
                    attempts("throttling", registry));
            assertEquals(s3Injected.get(Fault.INTERNAL_SERVER_ERROR) + s3Injected.get(Fault.SERVICE_UNAVAILABLE)
                         + ddbInjected.get(Fault.INTERNAL_SERVER_ERROR), attempts("server_error", registry));
            assertEquals(s3Injected.get(Fault.CONNECTION_RESET) + ddbInjected.get(Fault.CONNECTION_RESET),
                    attempts("io", registry));
            assertOneDebugLinePerFailedAttempt(attempts, logs, cdc);

            System.out.printf("FAULTS snapshot seed=%d soak=%s: items=%d delivered(distinct)=%d reads=%d lost=0"
                              + " injected s3=%s dynamodb=%s s3requests=%d sdkFailedAttempts=%d export_read=%d"
                              + " seconds=%d%n", SEED, SOAK, expected.size(), got.size(), reads, s3Injected,
                    ddbInjected, s3Front.requests(), attempts.total(), exportReadErrors,
                    (System.nanoTime() - started) / 1_000_000_000L);
        } finally {
            s3Front.clearRules();
            dynamoDbFront.clearRules();
        }
    }

    static Set<String> delivered(CdcHarness cdc) {
        Set<String> delivered = new HashSet<>();
        for (Exchange exchange : cdc.received) {
            Map<?, ?> body = exchange.getMessage().getBody(Map.class);
            delivered.add(exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY) + "=" + body.get("v"));
        }
        return delivered;
    }

    static Set<String> lost(Set<String> written, Set<String> delivered) {
        Set<String> lost = new TreeSet<>(written);
        lost.removeAll(delivered);
        return lost;
    }

    static Map<Fault, Long> since(Map<Fault, Long> before, Map<Fault, Long> now) {
        Map<Fault, Long> delta = new java.util.EnumMap<>(Fault.class);
        now.forEach((fault, count) -> delta.put(fault, count - before.get(fault)));
        return delta;
    }

    static long attempts(String type, MeterRegistry registry) {
        return (long) registry.get("camel.dynamodb.cdc.aws.attempts.failed").tag("type", type).functionCounter()
                .count();
    }

    static long errors(String type, MeterRegistry registry) {
        return (long) registry.get("camel.dynamodb.cdc.errors").tag("type", type).functionCounter().count();
    }

    /**
     * The front may still inject while the route polls: a failure can land between reading the counter and the log,
     * and its DEBUG line follows its count, so the two meet whenever no failed attempt is half recorded. Lines of
     * another test's consumer still shutting down in this JVM are not this consumer's.
     */
    static void assertOneDebugLinePerFailedAttempt(AwsAttemptMetrics attempts, LogCapture logs, CdcHarness cdc) {
        String context = cdc.context.getName();
        CdcHarness.awaitCondition(() -> attempts.total() == logs.countOf(context, "AwsAttemptMetrics", "failed ("),
                Duration.ofSeconds(10), () -> "one DEBUG line per attempt: " + attempts.total() + " attempts, "
                                              + logs.countOf(context, "AwsAttemptMetrics", "failed (") + " lines of "
                                              + logs.lines.stream().filter(l -> l.contains("failed (")).toList());
    }
}
