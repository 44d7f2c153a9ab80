package dev.ddbcdc.example;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jackson.JacksonDataFormat;

/**
 * Keeps an H2 replica of the table ({@link ReplicaDatabase#TABLE}, through the data source bound as {@code replica})
 * by a versioned upsert of every change: a row is written only when the change's
 * {@code CamelDynamoDbCdcDocumentVersion} is higher than the row's, and a REMOVE leaves a tombstone (deleted, with
 * its version) instead of deleting the row. Changes delivered again, out of order, or a snapshot item arriving after
 * newer stream records therefore leave the replica as the newest change made it: the replica converges to the
 * table. The statement takes its values from headers by name ({@code :?name}), never from concatenated SQL.
 */
public class ReplicaSinkRoute extends RouteBuilder {

    public static final String ROUTE_ID = "orders-replica";
    /** Where {@link ChangeLogRoute} sends every change. */
    public static final String CHANGES = "direct:changes";
    /** The header the upsert reads the item's JSON from. */
    public static final String ITEM_HEADER = "replicaItem";

    /**
     * H2's standard MERGE: insert an unknown item; replace a known one only with a newer version. The tombstone
     * flag comes from the operation, so a REMOVE is an upsert too.
     */
    public static final String UPSERT = """
            MERGE INTO orders_replica AS r
            USING (VALUES (CAST(:?CamelDynamoDbCdcPrimaryKey AS VARCHAR), CAST(:?replicaItem AS CLOB),
                           CAST(:?CamelDynamoDbCdcDocumentVersion AS BIGINT),
                           CAST(:?CamelDynamoDbCdcOperation AS VARCHAR))) AS c(pk, item, version, op)
            ON r.pk = c.pk
            WHEN MATCHED AND r.version < c.version THEN
                UPDATE SET item = c.item, version = c.version, deleted = (c.op = 'REMOVE')
            WHEN NOT MATCHED THEN
                INSERT (pk, item, version, deleted) VALUES (c.pk, c.item, c.version, c.op = 'REMOVE')
            """;

    private final String from;

    /** Reads {@value #CHANGES}. */
    public ReplicaSinkRoute() {
        this(CHANGES);
    }

    /** Reads another endpoint, e.g. when something else consumes {@value #CHANGES} and forwards to this route. */
    public ReplicaSinkRoute(String from) {
        this.from = from;
    }

    @Override
    public void configure() {
        // sorted attribute names: the same item always gives the same JSON, whatever order DynamoDB sent it in
        JacksonDataFormat itemJson = new JacksonDataFormat();
        itemJson.setEnableFeatures("ORDER_MAP_ENTRIES_BY_KEYS");

        from(from)
                .routeId(ROUTE_ID)
                .marshal(itemJson)
                .setHeader(ITEM_HEADER, body().convertToString())
                .setBody(constant(UPSERT))
                .to("jdbc:replica?useHeadersAsParameters=true");
    }
}
