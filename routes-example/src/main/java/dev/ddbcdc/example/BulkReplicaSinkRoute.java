package dev.ddbcdc.example;

import javax.sql.DataSource;

import org.apache.camel.builder.RouteBuilder;

/**
 * Keeps a replica of the table like {@link ReplicaSinkRoute}, the same versioned upsert into the same table, but a
 * batch of changes at a time ({@link BatchCaptureRoute}, {@code batchSize} above 1): {@link BulkReplicaSink} writes a
 * batch as one JDBC batch in one transaction, and reports a change whose statement failed to the component, which
 * delivers it and those after it again. The batch is acknowledged only when its transaction committed. The data
 * source is the bean {@value #DATA_SOURCE}, a database of its own in the demo.
 */
public class BulkReplicaSinkRoute extends RouteBuilder {

    public static final String ROUTE_ID = "orders-bulk-replica";
    /** Where {@link BatchCaptureRoute} sends every batch. */
    public static final String BATCHES = "direct:batches";
    /** The name of the data source bean the replica is written to. */
    public static final String DATA_SOURCE = "bulkReplica";

    private final String from;

    /** Reads {@value #BATCHES}. */
    public BulkReplicaSinkRoute() {
        this(BATCHES);
    }

    /** Reads another endpoint, e.g. when something else consumes {@value #BATCHES} and forwards to this route. */
    public BulkReplicaSinkRoute(String from) {
        this.from = from;
    }

    @Override
    public void configure() {
        DataSource dataSource = getContext().getRegistry().lookupByNameAndType(DATA_SOURCE, DataSource.class);
        if (dataSource == null) {
            throw new IllegalStateException("no DataSource bean named " + DATA_SOURCE + " for the bulk replica");
        }
        from(from)
                .routeId(ROUTE_ID)
                .process(new BulkReplicaSink(dataSource));
    }
}
