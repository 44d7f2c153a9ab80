package dev.ddbcdc.camel.engine;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.ddbcdc.camel.checkpoint.Generation;
import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.export.ExportService;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.flow.LossPolicy;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.options.SnapshotMode;
import dev.ddbcdc.camel.options.SnapshotOptions;
import dev.ddbcdc.camel.scan.ScanBudget;
import dev.ddbcdc.camel.stream.ShardOwnership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The one place where the kind of snapshot is chosen: the configured {@link SnapshotMode} makes a
 * {@link SnapshotRunner} (export) or a {@link ScanSnapshot} (parallel Scan), and a generation that bridges its gap
 * makes an {@link IncrementalBridge}, after the checks that let bad
 * configuration fail the start with a message that says what to do. An engine that reads one bucket of the shards
 * (its ownership is not {@link ShardOwnership#ALL}) takes no snapshot: it follows the one its consumer's snapshot unit
 * takes ({@link FollowedSnapshot}). Whoever needs a snapshot (the first start, a re-snapshot) asks here.
 */
final class Snapshots {

    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);

    private Snapshots() {
    }

    /**
     * @param generation         the checkpoint generation the snapshot is of (each takes its own export)
     * @param versionFloorMillis the time whose document version the items carry at least ({@link HandOver})
     * @param streamStarted      whether the stream was already started from a previous hand-over
     * @param phases             told when the snapshot enters EXPORTING, LOADING or SCANNING
     */
    static Snapshot prepare(CdcEngine.Setup setup, CdcEngine.Ports ports, SnapshotCheckpointStore store,
                            Delivery delivery, SnapshotMetrics metrics, RunContext run, LossPolicy losses,
                            Generation generation, long versionFloorMillis, BooleanSupplier streamStarted,
                            Consumer<Phase> phases) {
        String tableName = setup.table().tableName();
        SnapshotWork work = new SnapshotWork(store, delivery, metrics, run, setup.keySchema(), tableName, losses,
                streamStarted, phases);
        if (generation.bridged()) {
            return bridge(setup, ports, work, generation);
        }
        SnapshotOptions options = setup.snapshot();
        if (setup.ownership() != ShardOwnership.ALL) {
            return new FollowedSnapshot(options, work, versionFloorMillis);
        }
        SnapshotState persisted = store.load();
        boolean otherKindDone = persisted != null && persisted.mode() != options.mode() && persisted.isDone();
        if (persisted != null && persisted.mode() != options.mode() && !persisted.isDone()) {
            throw new IllegalStateException("snapshotMode is " + options.mode() + ", but this consumer's checkpoint"
                                            + " (key " + store.key() + ") holds an unfinished snapshot by "
                                            + persisted.mode() + " (" + persisted.source() + "). Set snapshotMode="
                                            + persisted.mode() + " until it is done, or remove that key and the"
                                            + " keys below it (or use another consumerId) to begin a new snapshot");
        }
        if (otherKindDone) {
            LOG.info("Table {}: the snapshot ({}) was done before; going on with the stream", tableName,
                    persisted.source());
        }
        if (options.mode() == SnapshotMode.SCAN) {
            TableDescription table = ports.table().describeTable(tableName);
            ScanBudget budget = ScanBudget.resolve(options.scan().budget(), table);
            if (persisted != null && !persisted.isDone() && persisted.segments() != options.scan().segments()) {
                throw new IllegalStateException("scanSegments is " + options.scan().segments() + ", but the scan in"
                                                + " progress (checkpoint key " + store.key() + ") was begun with "
                                                + persisted.segments() + " segments, and its positions are keys of"
                                                + " that segmentation only. Set scanSegments=" + persisted.segments()
                                                + " until the scan is done (the stream then takes over), or remove"
                                                + " that key and the keys below it to begin a new scan");
            }
            return new ScanSnapshot(options, ports.scans(), budget, table.itemCount() == null ? 0 : table.itemCount(),
                    work, versionFloorMillis);
        }
        ExportService exports = new ExportService(ports.exports(), tableName, setup.table().tableArn(),
                generation.number());
        if (!otherKindDone) {
            SnapshotPreflight.check(options, store, exports, ports.objects(), tableName);
        }
        return new SnapshotRunner(options, exports, ports.objects(), work, setup.table().tableArn(), versionFloorMillis);
    }

    /** The bridge of a generation begun to bridge its gap by incremental exports (trimmedDataPolicy=INCREMENTAL_EXPORT). */
    private static Snapshot bridge(CdcEngine.Setup setup, CdcEngine.Ports ports, SnapshotWork work,
                                   Generation generation) {
        String tableName = work.tableName();
        SnapshotCheckpointStore store = work.store();
        if (setup.bridge() == null) {
            throw new IllegalStateException("This consumer's checkpoint " + generation + " (key "
                                            + store.key() + ") bridges a gap by incremental exports, but"
                                            + " trimmedDataPolicy is " + setup.stream().trimmedDataPolicy() + ". Set"
                                            + " trimmedDataPolicy=INCREMENTAL_EXPORT (and exportS3Bucket) again, or"
                                            + " use another consumerId to begin anew");
        }
        return new IncrementalBridge(setup.bridge().exports(), new ExportService(ports.exports(), tableName,
                setup.table().tableArn(), generation.number()), ports.objects(), work, generation,
                setup.table().streamCreatedMillis());
    }
}
