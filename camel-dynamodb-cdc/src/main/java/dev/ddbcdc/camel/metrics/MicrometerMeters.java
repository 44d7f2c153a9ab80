package dev.ddbcdc.camel.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;

/**
 * The consumer's meters in a Micrometer registry. Every meter reads the consumer's own counters when the registry
 * is scraped; nothing is counted twice. The names below are a public contract, documented in the user guide's
 * Metrics section. Loaded only when Micrometer is present ({@link MetricsRegistration}).
 */
final class MicrometerMeters implements AutoCloseable {

    static final String PREFIX = "camel.dynamodb.cdc.";
    // one description per name: Prometheus shows one HELP line for all the tags of a name
    private static final String SKIPPED = "Records read but not delivered, by reason (before_start, already_delivered,"
                                          + " too_old)";
    private static final String ERRORS = "Errors by type (exchange_failed, aws_api, throttled, iterator_expired,"
                                         + " trimmed_data, export_read, stream_changed); see the user guide's Metrics section";

    private static final String ATTEMPTS = "HTTP attempts of the consumer's AWS clients that failed, by type (throttling,"
                                           + " server_error, io, timeout, other), those the SDK retried included";

    private final MeterRegistry registry;
    private final MeterSource source;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();

    private MicrometerMeters(MeterRegistry registry, MeterSource source) {
        this.registry = registry;
        this.source = source;
        this.tags = Tags.of("table", source.table(), "consumerId", source.consumerId(), "routeId",
                Objects.toString(source.routeId(), ""));
    }

    static AutoCloseable register(Object registry, MeterSource source) {
        MicrometerMeters meters = new MicrometerMeters((MeterRegistry) registry, source);
        meters.registerStream();
        if (source.snapshot() != null) {
            meters.registerSnapshot();
        }
        if (source.cluster() != null) {
            meters.registerCluster();
        }
        return meters;
    }

    private void registerStream() {
        for (Phase phase : Phase.values()) {
            meters.add(Gauge.builder(PREFIX + "phase", source, s -> s.phase().get() == phase ? 1 : 0)
                    .description("1 for the phase the consumer is in, 0 for the others").tags(tags)
                    .tag("phase", phase.name()).register(registry));
        }
        counter("change.events", "Stream records delivered to the route as an exchange",
                s -> s.stream().recordsDelivered.sum());
        counter("change.events.acknowledged", "Stream records whose exchange completed",
                s -> s.stream().recordsAcknowledged.sum());
        counter("change.events.skipped", SKIPPED, "reason", "before_start", s -> s.stream().recordsBeforeStart.get());
        counter("change.events.skipped", SKIPPED, "reason", "already_delivered",
                s -> s.stream().recordsAlreadyDelivered.get());
        counter("change.events.skipped", SKIPPED, "reason", "too_old", s -> s.stream().recordsTooOld.get());
        counter("errors", ERRORS, "type", "exchange_failed",
                s -> s.stream().failedExchanges.get() + snapshotValue(s, m -> m.failedExchanges.get()));
        counter("errors", ERRORS, "type", "aws_api", s -> s.stream().apiErrors.get());
        counter("errors", ERRORS, "type", "throttled", s -> s.stream().throttledCalls.get());
        counter("errors", ERRORS, "type", "iterator_expired", s -> s.stream().expiredIterators.get());
        counter("errors", ERRORS, "type", "trimmed_data", s -> s.stream().trimmedDataEvents.get());
        counter("errors", ERRORS, "type", "export_read", s -> snapshotValue(s, m -> m.readErrors.get()));
        counter("errors", ERRORS, "type", "stream_changed", s -> s.stream().streamChanges.get());
        attempts("throttling", s -> s.awsAttempts().throttling.get());
        attempts("server_error", s -> s.awsAttempts().serverError.get());
        attempts("io", s -> s.awsAttempts().io.get());
        attempts("timeout", s -> s.awsAttempts().timeout.get());
        attempts("other", s -> s.awsAttempts().other.get());
        counter("rewinds", "Times a shard or data file was read again from its checkpoint",
                s -> s.stream().rewinds.get() + snapshotValue(s, m -> m.rewinds.get()));
        meters.add(Gauge.builder(PREFIX + "shards.reading", source, s -> s.stream().shardsReading.get())
                .description("Shards being read").tags(tags).register(registry));
        counter("shards.finished", "Shards read to their end", s -> s.stream().shardsFinished.get());
        counter("stream.get.records", "GetRecords calls", s -> s.stream().getRecordsCalls.get());
        meters.add(TimeGauge.builder(PREFIX + "stream.lag", source, TimeUnit.MILLISECONDS,
                        s -> s.stream().lag.millisBehind())
                .description("How far behind the head of the stream the consumer reads: the age of the newest record"
                             + " of the last non-empty GetRecords, over the shards not caught up; 0 when caught up")
                .tags(tags).register(registry));
    }

    private void registerSnapshot() {
        meters.add(Gauge.builder(PREFIX + "snapshot.files", source, s -> s.snapshot().dataFilesTotal.get())
                .description("Data files in the export (0 until its manifest is read)").tags(tags).register(registry));
        counter("snapshot.files.loaded", "Data files whose every item was acknowledged",
                s -> s.snapshot().dataFilesDone.get());
        meters.add(Gauge.builder(PREFIX + "snapshot.items", source, s -> s.snapshot().itemsTotal.get())
                .description("Items in the export (0 until its manifest is read); for a scan, the table's item count"
                             + " as DescribeTable gives it").tags(tags).register(registry));
        counter("snapshot.items.delivered", "Snapshot items delivered to the route as READ",
                s -> s.snapshot().itemsDelivered.sum());
        counter("snapshot.items.acknowledged", "Snapshot items whose exchange completed",
                s -> s.snapshot().itemsAcknowledged.sum());
        counter("snapshot.items.skipped", "Snapshot items acknowledged in an earlier run, not delivered again",
                s -> s.snapshot().itemsAlreadyDone.get());
        counter("snapshot.items.already.delivered", "Snapshot items the idempotent repository held: acknowledged"
                                                    + " without an exchange",
                s -> s.snapshot().itemsAlreadyDelivered.get());
        counter("snapshot.export.polls", "DescribeExport calls while waiting for the export",
                s -> s.snapshot().exportPolls.get());
        meters.add(Gauge.builder(PREFIX + "snapshot.segments", source, s -> s.snapshot().segmentsTotal.get())
                .description("Segments of a snapshot by Scan (0 for an export)").tags(tags).register(registry));
        meters.add(Gauge.builder(PREFIX + "snapshot.segments.scanned", source, s -> s.snapshot().segmentsDone.get())
                .description("Segments of the scan read to their end with every item acknowledged").tags(tags)
                .register(registry));
        counter("snapshot.scan.calls", "Scan calls of a snapshot by Scan", s -> s.snapshot().scanPages.get());
        counter("snapshot.scan.read.units", "Read capacity units the Scan calls consumed (as DynamoDB reported them,"
                                            + " else estimated from the item sizes)",
                s -> s.snapshot().readUnits.sum());
    }

    private void registerCluster() {
        meters.add(Gauge.builder(PREFIX + "cluster.leader", source, s -> s.cluster().leader().getAsBoolean() ? 1 : 0)
                .description("1 while this instance leads its cluster namespace (or a bucket) and reads, 0 while it"
                             + " stands by")
                .tags(tags).register(registry));
        meters.add(Gauge.builder(PREFIX + "cluster.units.led", source, s -> s.cluster().unitsLed().getAsLong())
                .description("How many cluster namespaces this instance leads: with clusterMode=BUCKETS its buckets"
                             + " and the snapshot's, with standby 1 while leading")
                .tags(tags).register(registry));
        meters.add(Gauge.builder(PREFIX + "cluster.epoch", source, s -> s.cluster().epoch().getAsLong())
                .description("The leader epoch of this instance's current or last leadership (0: never led)")
                .tags(tags).register(registry));
        counter("checkpoints.refused", "Checkpoint writes refused because another instance had taken a newer leader"
                                       + " epoch (a deposed or stalled leader's late writes)",
                s -> s.cluster().refusedCheckpointWrites().getAsLong());
    }

    private void attempts(String type, ToDoubleFunction<MeterSource> value) {
        counter("aws.attempts.failed", ATTEMPTS, "type", type, value);
    }

    private void counter(String name, String description, ToDoubleFunction<MeterSource> value) {
        meters.add(FunctionCounter.builder(PREFIX + name, source, value).description(description).tags(tags)
                .register(registry));
    }

    private void counter(String name, String description, String tagKey, String tagValue,
                         ToDoubleFunction<MeterSource> value) {
        meters.add(FunctionCounter.builder(PREFIX + name, source, value).description(description).tags(tags)
                .tag(tagKey, tagValue).register(registry));
    }

    private static long snapshotValue(MeterSource source, ToLongFunction<SnapshotMetrics> value) {
        return source.snapshot() == null ? 0 : value.applyAsLong(source.snapshot());
    }

    /** Removes the meters, so a stopped route leaves none behind. */
    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
