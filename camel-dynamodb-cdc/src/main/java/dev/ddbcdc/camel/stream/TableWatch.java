package dev.ddbcdc.camel.stream;

import java.util.Objects;
import java.util.function.Consumer;

import dev.ddbcdc.camel.flow.StreamChangedException;
import dev.ddbcdc.camel.port.TablePort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Watches, while the stream is read, that the table still exists and its stream is still the one being read
 * (DescribeTable every shardDiscoveryInterval). When the table is deleted, or its stream disabled, or replaced by a
 * new stream (disabled and enabled again: a new ARN), it says so once per change: an ERROR log, the
 * {@code errors{type=stream_changed}} counter, the exception handler, and readiness DOWN with the message.
 * <p>
 * The consumer does not switch to a new stream by itself: the changes made between the old stream's end and the new
 * stream's start are in neither, and following the new stream silently would hide that gap. It reads the old stream
 * to its end (AWS keeps it readable for 24 hours) and leaves the decision to the user; a restart then finds the
 * replaced stream ({@code StreamFollowing}) and goes on under the loss policy.
 */
public final class TableWatch implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TableWatch.class);

    private final TablePort client;
    private final String tableName;
    private final String streamArn;
    private final StreamMetrics metrics;
    private final Consumer<StreamChangedException> reporter;
    private String reported;

    public TableWatch(TablePort client, String tableName, String streamArn, StreamMetrics metrics,
                      Consumer<StreamChangedException> reporter) {
        this.client = client;
        this.tableName = tableName;
        this.streamArn = streamArn;
        this.metrics = metrics;
        this.reporter = reporter;
    }

    @Override
    public synchronized void run() {
        String problem;
        ResourceNotFoundException cause = null;
        boolean replaced = false;
        try {
            TableDescription table = client.describeTable(tableName);
            problem = problem(table);
            replaced = problem != null && isEnabled(table);
        } catch (ResourceNotFoundException e) {
            cause = e;
            problem = "DynamoDB table '" + tableName + "' was deleted while this consumer was reading its stream "
                      + streamArn + ": no further changes will be captured. What the stream still holds is read to"
                      + " its end. Stop the route, or restart it once the table exists again (with a new snapshot:"
                      + " changes made meanwhile are in no stream this consumer reads)";
        } catch (RuntimeException e) {
            LOG.debug("Table {}: could not check the table and its stream: {}", tableName, e.toString());
            return;
        }
        if (problem == null || problem.equals(reported)) {
            return;
        }
        reported = problem;
        metrics.streamChanges.incrementAndGet();
        metrics.streamProblem(problem);
        metrics.error(problem);
        LOG.error("{}", problem);
        reporter.accept(new StreamChangedException(problem, cause, replaced));
    }

    private static boolean isEnabled(TableDescription table) {
        return table.streamSpecification() != null && Boolean.TRUE.equals(table.streamSpecification().streamEnabled());
    }

    private String problem(TableDescription table) {
        String latest = table.latestStreamArn();
        if (!isEnabled(table)) {
            return "The stream of DynamoDB table '" + tableName + "' was disabled (this consumer reads stream "
                   + streamArn + "): changes made from now on are not captured. The old stream is read to its end."
                   + " Enable the stream again and restart the route; changes made while it was disabled are in no"
                   + " stream (take a new snapshot, with a new consumerId, to capture them)";
        }
        if (!Objects.equals(latest, streamArn)) {
            return "The stream of DynamoDB table '" + tableName + "' was replaced: this consumer reads stream "
                   + streamArn + " but the table's stream is now " + latest + " (disabled and enabled again)."
                   + " Changes made between the two are in neither stream. This consumer reads the old stream to its"
                   + " end and does not switch by itself, unless trimmedDataPolicy=RESNAPSHOT: then it takes a new"
                   + " snapshot at once and follows the new stream from its hand-over. A restart follows the new"
                   + " stream with trimmedDataPolicy=CONTINUE, from its oldest record (with FAIL it reads nothing and"
                   + " says so again); take a new snapshot (RESNAPSHOT, or a new consumerId) to capture the gap";
        }
        return null;
    }
}
