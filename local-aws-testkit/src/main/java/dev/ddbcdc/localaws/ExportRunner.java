package dev.ddbcdc.localaws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runs exports to their end: writes {@code _started} at once, reads what the export holds (the table with a Scan, or
 * for an incremental export the changes of its window from the {@link ChangeHistory}), and writes the data files and
 * manifests and turns the export COMPLETED (or FAILED) once it is due, on an export thread: AWS always answers
 * ExportTableToPointInTime with IN_PROGRESS first.
 */
final class ExportRunner implements AutoCloseable {

    /** The failure code of an export whose bucket does not exist. */
    static final String S3_NO_SUCH_BUCKET = "S3NoSuchBucket";

    /** How an export is to end instead of completing. */
    record Failure(String code, String message) {
    }

    private final ExportWriter writer;
    private final ChangeHistory history;
    private final Clock clock;
    private final ScheduledExecutorService exportThreads = Executors.newScheduledThreadPool(2,
            daemonThreads("ddb-front-export-"));

    ExportRunner(ExportWriter writer, ChangeHistory history, Clock clock) {
        this.writer = writer;
        this.history = history;
        this.clock = clock;
    }

    /**
     * Writes {@code _started}, reads the export's content (now when {@code readNow}, else in the background), and
     * finishes once the export is due: FAILED with {@code failure} if given (only {@code _started} written).
     */
    void launch(Export export, Failure failure, boolean readNow) {
        Failure planned = failure;
        try {
            writer.writeStarted(export);
        } catch (NoSuchBucketException e) {
            planned = planned != null ? planned : noSuchBucket(export);
        } catch (RuntimeException e) {
            planned = planned != null ? planned : new Failure("UNKNOWN", "Could not write to S3: " + e);
        }
        Failure outcomeSoFar = planned;
        Runnable readThenFinish = () -> {
            ExportWriter.Snapshot snapshot = null;
            Failure outcome = outcomeSoFar;
            if (outcome == null) {
                try {
                    snapshot = read(export);
                } catch (RuntimeException e) {
                    outcome = new Failure("UNKNOWN", "Could not read table " + export.table().name() + ": " + e);
                }
            }
            finishWhenDue(export, snapshot, outcome);
        };
        if (readNow) {
            readThenFinish.run();
        } else {
            exportThreads.execute(readThenFinish);
        }
    }

    /**
     * Writes the whole export now, in the calling thread: {@code items} instead of the table for a full export (null:
     * the table), the window's changes for an incremental one. Throws what went wrong, the export FAILED.
     */
    void completeNow(Export export, Iterator<Map<String, AttributeValue>> items) {
        try {
            writer.writeStarted(export);
            ExportWriter.Snapshot snapshot = items == null ? read(export) : writer.collect(export, items);
            finish(export, snapshot, null, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        } catch (RuntimeException e) {
            export.fail(clock.instant(), "UNKNOWN", "Could not write the export: " + e);
            throw e;
        }
        if (!Export.COMPLETED.equals(export.status())) {
            throw new IllegalStateException("The export of " + export.table().name() + " did not complete: "
                    + export.describe().toString());
        }
    }

    private ExportWriter.Snapshot read(Export export) {
        if (export.incremental() == null) {
            return writer.scan(export);
        }
        ChangeHistory.TableHistory changes = history.of(export.table());
        if (changes == null) {
            throw new IllegalStateException("No change history of table " + export.table().name()
                    + " (point-in-time recovery was disabled, or the table deleted, after the request)");
        }
        return writer.collectChanges(export, changes.changes(export.incremental()).iterator());
    }

    /** Finishes on an export thread once due (never in the request: AWS always answers IN_PROGRESS first). */
    private void finishWhenDue(Export export, ExportWriter.Snapshot snapshot, Failure failure) {
        long wait = Math.max(0, Duration.between(clock.instant(), export.dueAt()).toNanos());
        exportThreads.schedule(() -> {
            Instant now = clock.instant();
            if (now.isBefore(export.dueAt())) {
                finishWhenDue(export, snapshot, failure); // the scheduler's clock ran a little ahead
            } else {
                finish(export, snapshot, failure, now.truncatedTo(ChronoUnit.MILLIS));
            }
        }, wait, TimeUnit.NANOSECONDS);
    }

    private void finish(Export export, ExportWriter.Snapshot snapshot, Failure failure, Instant end) {
        if (failure != null) {
            if (snapshot != null) {
                snapshot.discard();
            }
            export.fail(end, failure.code(), failure.message());
            return;
        }
        try {
            writer.write(export, snapshot, end);
            export.complete(end, snapshot.itemCount(), snapshot.billedSizeBytes());
        } catch (NoSuchBucketException e) {
            Failure missing = noSuchBucket(export);
            export.fail(end, missing.code(), missing.message());
        } catch (S3Exception e) {
            export.fail(end, "S3" + (e.awsErrorDetails() == null ? "Error" : e.awsErrorDetails().errorCode()),
                    "Could not write the export to S3: " + e.getMessage());
        } catch (RuntimeException e) {
            export.fail(end, "UNKNOWN", "Could not write the export: " + e);
        }
    }

    private static Failure noSuchBucket(Export export) {
        return new Failure(S3_NO_SUCH_BUCKET, "The specified bucket does not exist: " + export.request().s3Bucket());
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops the export threads; exports not finished stay IN_PROGRESS until the registry fails them. */
    @Override
    public void close() {
        exportThreads.shutdownNow();
    }
}
