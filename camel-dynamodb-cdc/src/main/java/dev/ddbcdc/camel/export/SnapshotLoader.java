package dev.ddbcdc.camel.export;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.event.DataLineMapper;
import dev.ddbcdc.camel.flow.Delivery;
import dev.ddbcdc.camel.port.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LOADING phase: loads the data files of an export (a full one, or an incremental one of a gap's bridge), at most {@code maxConcurrentDataFiles} at a time, each on
 * its own thread ({@link DataFileLoader}). The first file that cannot be loaded stops the others.
 */
public final class SnapshotLoader {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLoader.class);

    private final List<DataFileLoader> loaders = new ArrayList<>();
    private final Queue<DataFileLoader> waiting;
    private final SnapshotMetrics metrics;
    private final BooleanSupplier running;
    private final String tableName;
    private final int files;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    /** Files done in this load: the metrics' count spans the consumer's snapshots. */
    private final AtomicInteger filesDone = new AtomicInteger();

    public SnapshotLoader(ObjectStore s3, String bucket, ExportManifest manifest, DataLineMapper mapper,
                          Delivery delivery, SnapshotCheckpointStore store, SnapshotMetrics metrics,
                          BooleanSupplier running, long acknowledgmentTimeoutMillis, String tableName, Clock clock) {
        this.metrics = metrics;
        this.running = running;
        this.tableName = tableName;
        this.files = manifest.dataFiles().size();
        ItemParser parser = ItemParser.of(manifest.format(), manifest.incremental());
        BooleanSupplier goOn = () -> running.getAsBoolean() && failure.get() == null;
        for (DataFile file : manifest.dataFiles()) {
            loaders.add(new DataFileLoader(s3, bucket, file, parser, mapper, delivery, store, metrics, goOn,
                    acknowledgmentTimeoutMillis, manifest.exportArn(), clock));
        }
        this.waiting = new ConcurrentLinkedQueue<>(loaders);
    }

    /**
     * Loads every file; true when all are done, false when the consumer stopped first. Throws the first
     * {@link SnapshotException} (or other error) a file ended with.
     */
    public boolean load(Executor executor, int maxConcurrentDataFiles) throws InterruptedException {
        int workers = Math.max(1, Math.min(maxConcurrentDataFiles, loaders.size()));
        CountDownLatch finished = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            try {
                executor.execute(() -> work(finished));
            } catch (RejectedExecutionException e) {
                finished.countDown();
                if (running.getAsBoolean()) {
                    throw e;
                }
            }
        }
        while (!finished.await(100, TimeUnit.MILLISECONDS)) {
            if (!running.getAsBoolean()) {
                break;
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return running.getAsBoolean() && filesDone.get() == files;
    }

    private void work(CountDownLatch finished) {
        try {
            DataFileLoader loader;
            while (running.getAsBoolean() && failure.get() == null && (loader = waiting.poll()) != null) {
                if (!loader.load()) {
                    return;
                }
                long done = filesDone.incrementAndGet();
                metrics.dataFilesDone.incrementAndGet();
                LOG.info("Table {}: data file {}/{} loaded: {} ({} of {} items acknowledged in this run)", tableName,
                        done, files, loader.file().key(), metrics.itemsAcknowledged.sum(),
                        metrics.itemsTotal.get() - metrics.itemsAlreadyDone.get());
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            finished.countDown();
        }
    }

    /** Writes the acknowledged line of every file; called when the consumer stops. */
    public void flush() {
        loaders.forEach(DataFileLoader::flush);
    }
}
