package dev.ddbcdc.example;

import java.util.Map;

import dev.ddbcdc.camel.DynamoDbCdcConstants;
import org.apache.camel.builder.RouteBuilder;

/**
 * Captures every change of the table and logs one line per change (binary values in base64,
 * {@link ReadableValues}). Everything environment-specific comes from
 * properties ({@code cdc.table}, {@code cdc.region}, {@code cdc.consumerId} and {@code cdc.options}, the rest of the
 * endpoint options, e.g. {@code &exportS3Bucket=my-exports} for a snapshot first, or {@code &profileCredentialsName=prod}),
 * so the same route runs against the local test kit or real AWS.
 */
public class ChangeLogRoute extends RouteBuilder {

    public static final String ROUTE_ID = "orders-changes";

    @Override
    public void configure() {
        from("dynamodb-cdc:{{cdc.table}}?region={{cdc.region}}&consumerId={{cdc.consumerId}}"
             + "&checkpointRepository=#checkpoints{{cdc.options}}")
                .routeId(ROUTE_ID)
                .process(exchange -> {
                    Map<?, ?> body = exchange.getMessage().getBody(Map.class);
                    exchange.getMessage().setHeader("changeLine", String.format("%-6s %-10s %s",
                            exchange.getMessage().getHeader(DynamoDbCdcConstants.OPERATION),
                            exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY),
                            ReadableValues.format(body)));
                })
                .log("${header.changeLine}")
                .to("direct:changes");
    }
}
