package dev.ddbcdc.example;

import java.util.Map;

import dev.ddbcdc.camel.DynamoDbCdcConstants;
import org.apache.camel.builder.RouteBuilder;

/**
 * Captures every change of the table and logs one line per change. Everything environment-specific comes from
 * properties ({@code cdc.*}), so the same route runs against DynamoDB Local or real AWS.
 */
public class ChangeLogRoute extends RouteBuilder {

    public static final String ROUTE_ID = "orders-changes";

    @Override
    public void configure() {
        from("dynamodb-cdc:{{cdc.table}}?region={{cdc.region}}&startPosition={{cdc.startPosition}}"
             + "&checkpointRepository=#checkpoints&consumerId={{cdc.consumerId}}{{cdc.connection}}")
                .routeId(ROUTE_ID)
                .process(exchange -> {
                    Map<?, ?> body = exchange.getMessage().getBody(Map.class);
                    exchange.getMessage().setHeader("changeLine", String.format("%-6s %-10s %s",
                            exchange.getMessage().getHeader(DynamoDbCdcConstants.OPERATION),
                            exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY), body));
                })
                .log("${header.changeLine}")
                .to("direct:changes");
    }
}
