package dev.ddbcdc.example;

import org.apache.camel.builder.RouteBuilder;

/**
 * Captures every change of the table in batches ({@code batchSize}, {@code batchWindow}) and logs one line per batch,
 * for {@link BulkReplicaSinkRoute}. The properties are those of {@link ChangeLogRoute}, plus {@code cdc.bulkConsumerId}
 * (its own checkpoints: it reads the table independently of {@link ChangeLogRoute}), {@code cdc.batchSize} (default
 * 100) and {@code cdc.batchWindow} (default 500 ms).
 */
public class BatchCaptureRoute extends RouteBuilder {

    public static final String ROUTE_ID = "orders-bulk-changes";

    @Override
    public void configure() {
        from("dynamodb-cdc:{{cdc.table}}?region={{cdc.region}}&consumerId={{cdc.bulkConsumerId}}"
             + "&batchSize={{cdc.batchSize:100}}&batchWindow={{cdc.batchWindow:500}}"
             + "&checkpointRepository=#checkpoints{{cdc.options}}")
                .routeId(ROUTE_ID)
                .log("batch of ${header.CamelDynamoDbCdcBatchSize} changes")
                .to(BulkReplicaSinkRoute.BATCHES);
    }
}
