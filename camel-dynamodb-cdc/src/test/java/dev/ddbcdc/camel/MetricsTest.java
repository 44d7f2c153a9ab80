package dev.ddbcdc.camel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.metrics.MetricsRegistration;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.Tables;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.engine.DefaultClassResolver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer's Micrometer meters, read from a registry bound the way camel-micrometer binds it, against what
 * actually happened: a snapshot, the stream's overlap, live writes and a failed exchange.
 */
class MetricsTest {

    static final String TABLE = "metered";
    static final String BUCKET = "metered-exports";
    static final int ITEMS = 30;
    static final Path GUIDE = Path.of("..", "docs", "user-guide.md");

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();
    static LocalAws aws;

    @BeforeAll
    static void table() {
        aws = local.get();
        aws.createBucket(BUCKET);
        Tables.createWithStream(aws.dynamoDb(), TABLE, StreamViewType.NEW_AND_OLD_IMAGES);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), TABLE);
        for (int i = 0; i < ITEMS; i++) {
            put("item" + i);
        }
    }

    static void put(String key) {
        aws.dynamoDb().putItem(b -> b.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS(key))));
    }

    @Test
    void metersCountTheSnapshotTheStreamAndTheErrorsThenGoAwayWithTheRoute() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        AtomicBoolean failedOnce = new AtomicBoolean();
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.bind(MetricsRegistration.REGISTRY_NAME, registry).behaviour(exchange -> {
                if ("poison".equals(exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))
                    && failedOnce.compareAndSet(false, true)) {
                    throw new IllegalStateException("the sink is down once");
                }
            });
            cdc.start(CdcHarness.snapshotUri(aws, TABLE, BUCKET, "consumerId=metered"));
            // the snapshot's items as READ, then the same items again from the stream's overlap
            cdc.await(2 * ITEMS, Duration.ofSeconds(60));
            cdc.awaitPhase(Phase.STREAMING, Duration.ofSeconds(10));

            long dataFiles = cdc.consumer().getSnapshotMetrics().dataFilesTotal.get();
            assertTrue(dataFiles > 1, "the export has several data files: " + dataFiles);
            assertEquals(dataFiles, gauge(registry, "snapshot.files"));
            assertEquals(dataFiles, counter(registry, "snapshot.files.loaded"));
            assertEquals(ITEMS, gauge(registry, "snapshot.items"));
            assertEquals(ITEMS, counter(registry, "snapshot.items.delivered"));
            assertEquals(ITEMS, counter(registry, "snapshot.items.acknowledged"));
            assertEquals(0, counter(registry, "snapshot.items.skipped"));
            assertTrue(counter(registry, "snapshot.export.polls") >= 1);
            assertEquals(1, gauge(find(registry, "phase").tag("phase", "STREAMING")));
            assertEquals(0, gauge(find(registry, "phase").tag("phase", "LOADING")));

            put("live1");
            put("poison");
            put("live2");
            CdcHarness.awaitCondition(() -> counter(registry, "change.events.acknowledged") == ITEMS + 3,
                    Duration.ofSeconds(20), () -> "acknowledged " + counter(registry, "change.events.acknowledged"));
            // the failed exchange was delivered twice: once failing, then again after the rewind
            assertEquals(1, counter(find(registry, "errors").tag("type", "exchange_failed")));
            assertTrue(counter(registry, "rewinds") >= 1);
            assertTrue(counter(registry, "change.events") >= ITEMS + 4, "" + counter(registry, "change.events"));
            for (String type : new String[] { "aws_api", "throttled", "trimmed_data", "export_read" }) {
                assertEquals(0, counter(find(registry, "errors").tag("type", type)), type);
            }
            assertTrue(gauge(registry, "shards.reading") >= 1);
            assertTrue(counter(registry, "stream.get.records") >= 1);
            // idle and caught up: no lag
            CdcHarness.awaitCondition(() -> registry.get("camel.dynamodb.cdc.stream.lag").timeGauge()
                    .value(TimeUnit.MILLISECONDS) == 0, Duration.ofSeconds(10), () -> "lag did not reach 0");
            HealthCheck.Result readiness = HealthChecks.readiness(cdc);
            assertEquals(HealthCheck.State.UP, readiness.getState());
            assertEquals(0L, readiness.getDetails().get("stream.lagMillis"));

            Meter any = registry.get("camel.dynamodb.cdc.change.events").meter();
            assertEquals(TABLE, any.getId().getTag("table"));
            assertEquals("metered", any.getId().getTag("consumerId"));
            assertEquals(CdcHarness.ROUTE_ID, any.getId().getTag("routeId"));
            assertEveryMeterIsDocumented(registry);

            cdc.context.getRouteController().stopRoute(CdcHarness.ROUTE_ID);
            assertEquals(Set.of(), names(registry), "a stopped route leaves no meters behind");
        }
    }

    @Test
    void withoutMicrometerOnTheClasspathTheConsumerRunsWithoutMeters() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.context.setClassResolver(new DefaultClassResolver(cdc.context) {
                @Override
                public Class<?> resolveClass(String name) {
                    return name.startsWith("io.micrometer.") ? null : super.resolveClass(name);
                }
            });
            cdc.bind(MetricsRegistration.REGISTRY_NAME, registry);
            cdc.start("dynamodb-cdc:" + TABLE + "?region=us-east-1&uriEndpointOverride=" + aws.dynamoDbEndpoint()
                      + "&accessKey=x&secretKey=y&consumerId=nometrics&idlePollDelay=50&startPosition=TRIM_HORIZON");
            cdc.await(ITEMS, Duration.ofSeconds(20));
            assertEquals(Set.of(), names(registry));
        }
    }

    /** The meters only a consumer with a cluster service registers (StandbyTest checks them). */
    static final Set<String> STANDBY_METERS = Set.of("camel.dynamodb.cdc.cluster.leader",
            "camel.dynamodb.cdc.cluster.epoch", "camel.dynamodb.cdc.checkpoints.refused",
            "camel.dynamodb.cdc.cluster.units.led");

    /** Every meter's name is in the user guide's Metrics section, and the section names no other. */
    private static void assertEveryMeterIsDocumented(MeterRegistry registry) throws Exception {
        Set<String> documented = documentedMeters();
        documented.removeAll(STANDBY_METERS);
        assertEquals(names(registry), documented, "docs/user-guide.md Metrics section");
    }

    static Set<String> documentedMeters() throws Exception {
        String guide = Files.readString(GUIDE);
        Set<String> documented = new TreeSet<>();
        Matcher matcher = Pattern.compile("`(camel\\.dynamodb\\.cdc\\.[a-z.]+)`").matcher(guide);
        while (matcher.find()) {
            documented.add(matcher.group(1));
        }
        return documented;
    }

    private static Set<String> names(MeterRegistry registry) {
        return registry.getMeters().stream().map(m -> m.getId().getName())
                .filter(name -> name.startsWith("camel.dynamodb.cdc.")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static RequiredSearch find(MeterRegistry registry, String name) {
        return registry.get("camel.dynamodb.cdc." + name);
    }

    private static long counter(MeterRegistry registry, String name) {
        return counter(find(registry, name));
    }

    private static long counter(RequiredSearch search) {
        return (long) search.functionCounter().count();
    }

    private static long gauge(MeterRegistry registry, String name) {
        return gauge(find(registry, name));
    }

    private static long gauge(RequiredSearch search) {
        return (long) search.gauge().value();
    }
}
