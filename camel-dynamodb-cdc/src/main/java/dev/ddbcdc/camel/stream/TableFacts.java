package dev.ddbcdc.camel.stream;

import dev.ddbcdc.camel.event.KeySchema;
import dev.ddbcdc.camel.options.ViewOnRemove;
import dev.ddbcdc.camel.port.TablePort;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The table facts the consumer needs, read once at start with DescribeTable: its ARN, key schema and latest stream.
 * Fails with a message that says what to do when the table does not exist, has no stream, or its stream does not
 * carry the images the options need.
 */
public final class TableFacts {

    private final String tableName;
    private final String tableArn;
    private final String streamArn;
    private final String partitionKey;
    private final String sortKey;

    private TableFacts(String tableName, String tableArn, String streamArn, String partitionKey, String sortKey) {
        this.tableName = tableName;
        this.tableArn = tableArn;
        this.streamArn = streamArn;
        this.partitionKey = partitionKey;
        this.sortKey = sortKey;
    }

    public static TableFacts describe(TablePort client, String tableName, ViewOnRemove viewOnRemove) {
        return describe(client, tableName, viewOnRemove, true);
    }

    /**
     * As above; without {@code streamNeeded} (a snapshot only) a table without a stream is fine, and its
     * {@link #streamArn()} is {@code null}.
     */
    public static TableFacts describe(TablePort client, String tableName, ViewOnRemove viewOnRemove,
                                      boolean streamNeeded) {
        TableDescription table;
        try {
            table = client.describeTable(tableName);
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("DynamoDB table '" + tableName + "' does not exist (in this region and"
                                            + " account: check the table and region options)",
                    e);
        }
        StreamSpecification stream = table.streamSpecification();
        KeySchema keys = KeySchema.of(table);
        if (!streamNeeded) {
            boolean enabled = stream != null && Boolean.TRUE.equals(stream.streamEnabled());
            return new TableFacts(tableName, table.tableArn(), enabled ? table.latestStreamArn() : null,
                    keys.partitionKey(), keys.sortKey());
        }
        if (stream == null || !Boolean.TRUE.equals(stream.streamEnabled()) || table.latestStreamArn() == null) {
            throw new IllegalStateException("DynamoDB table '" + tableName + "' has no stream enabled. Enable one with"
                                            + " view type NEW_AND_OLD_IMAGES (or NEW_IMAGE), e.g. aws dynamodb update-table"
                                            + " --table-name " + tableName + " --stream-specification"
                                            + " StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES");
        }
        StreamViewType view = stream.streamViewType();
        if (view != StreamViewType.NEW_IMAGE && view != StreamViewType.NEW_AND_OLD_IMAGES) {
            throw new IllegalStateException("The stream of DynamoDB table '" + tableName + "' has view type " + view
                                            + ", which carries no new item images; it needs NEW_IMAGE or"
                                            + " NEW_AND_OLD_IMAGES (disable and re-enable the stream to change it)");
        }
        if (viewOnRemove == ViewOnRemove.OLD_IMAGE && view != StreamViewType.NEW_AND_OLD_IMAGES) {
            throw new IllegalStateException("viewOnRemove=OLD_IMAGE needs stream view type NEW_AND_OLD_IMAGES, but the"
                                            + " stream of DynamoDB table '" + tableName + "' has " + view);
        }
        return new TableFacts(tableName, table.tableArn(), table.latestStreamArn(), keys.partitionKey(),
                keys.sortKey());
    }

    public String tableName() {
        return tableName;
    }

    public String tableArn() {
        return tableArn;
    }

    /** The latest stream's ARN; {@code null} for a table without a stream when none was needed. */
    public String streamArn() {
        return streamArn;
    }

    /** What the consumer's checkpoint keys are made of: the stream's ARN, or the table's when it has no stream. */
    /**
     * When the table's stream was created, from its label (the end of its ARN: DynamoDB's stream label is the
     * creation time, ISO 8601, UTC); 0 without a stream or when the label is not a time.
     */
    public long streamCreatedMillis() {
        int label = streamArn == null ? -1 : streamArn.lastIndexOf("/stream/");
        if (label < 0) {
            return 0;
        }
        try {
            return java.time.LocalDateTime.parse(streamArn.substring(label + "/stream/".length()))
                    .toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }

    public String checkpointArn() {
        return streamArn != null ? streamArn : tableArn;
    }

    public String partitionKey() {
        return partitionKey;
    }

    /** The sort key's name, or {@code null} when the table has only a partition key. */
    public String sortKey() {
        return sortKey;
    }
}
