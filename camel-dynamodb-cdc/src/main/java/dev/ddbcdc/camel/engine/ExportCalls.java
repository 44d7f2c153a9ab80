package dev.ddbcdc.camel.engine;

import java.util.function.Supplier;

import dev.ddbcdc.camel.export.SnapshotException;
import dev.ddbcdc.camel.export.SnapshotMetrics;
import dev.ddbcdc.camel.flow.Backoff;
import dev.ddbcdc.camel.flow.RunContext;
import dev.ddbcdc.camel.port.AwsErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ExportNotFoundException;

/**
 * The export calls of a snapshot or a bridge, made while the run goes on: throttling and transient errors are retried
 * with backoff; an export that does not exist fails the snapshot, naming the checkpoint key to remove.
 */
final class ExportCalls {

    private static final Logger LOG = LoggerFactory.getLogger(ExportCalls.class);

    private ExportCalls() {
    }

    /** Calls {@code call}, retrying as above; {@code null} if the run stopped meanwhile. */
    static <T> T retrying(RunContext run, SnapshotMetrics metrics, String tableName, String checkpointKey,
                          Supplier<T> call, String what) {
        Backoff backoff = new Backoff(500, 60_000);
        while (run.isRunning()) {
            try {
                return call.get();
            } catch (ExportNotFoundException e) {
                throw new SnapshotException(what + ": the export does not exist (" + e.getMessage() + "). Remove"
                                            + " checkpoint key " + checkpointKey + " to take a new snapshot",
                        e);
            } catch (SdkException e) {
                if (!AwsErrors.isRetryable(e)) {
                    throw e;
                }
                long delay = backoff.nextDelayMillis();
                metrics.error(what + ": " + e.getMessage());
                LOG.warn("Table {}: {} failed ({}); retrying in {} ms", tableName, what, e.getMessage(), delay);
                run.pause(delay);
            }
        }
        return null;
    }
}
