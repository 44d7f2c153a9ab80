package dev.ddbcdc.camel.event;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Fills an exchange from one snapshot item: operation READ, the item as body and new image, the headers stream
 * events have where they apply, and where in the export the item came from.
 */
public final class SnapshotItemMapper {

    /** The operation name of snapshot items. */
    public static final String READ = "READ";

    private static final HeaderBlock HEADERS = new HeaderBlock(ChangeHeaders.OPERATION,
            ChangeHeaders.TABLE_NAME, ChangeHeaders.KEYS, ChangeHeaders.PRIMARY_KEY,
            ChangeHeaders.PARTITION_KEY, ChangeHeaders.SORT_KEY, ChangeHeaders.NEW_IMAGE,
            ChangeHeaders.TIMESTAMP, ChangeHeaders.DOCUMENT_VERSION, ChangeHeaders.TTL_DELETE,
            ChangeHeaders.EXPORT_ARN, ChangeHeaders.EXPORT_DATA_FILE, ChangeHeaders.EXPORT_LINE);

    private final String tableName;
    private final KeySchema keySchema;
    private final String exportArn;
    /** Boxed once: every item of the snapshot carries the same two values. */
    private final Long exportTimeMillis;
    private final Long documentVersion;

    /** @param documentVersion the version every item of this snapshot carries (see {@link DocumentVersion}) */
    public SnapshotItemMapper(String tableName, KeySchema keySchema, String exportArn, long exportTimeMillis,
                              long documentVersion) {
        this.tableName = tableName;
        this.keySchema = keySchema;
        this.exportArn = exportArn;
        this.exportTimeMillis = exportTimeMillis;
        this.documentVersion = documentVersion;
    }

    /** @param line the item's line in the data file (boxed by the caller, who may need the same object) */
    public void fill(Exchange exchange, Map<String, Object> item, String dataFileS3Key, Long line) {
        Message message = exchange.getMessage();
        message.setBody(item);
        // each key string once: the primary key is made of the partition and sort key strings
        Map<String, Object> keys = keySchema.keysOf(item);
        String partitionKey = keySchema.partitionKeyString(keys);
        String sortKey = keySchema.sortKeyString(keys);
        HEADERS.apply(message, READ, tableName, keys, KeySchema.primaryKey(partitionKey, sortKey), partitionKey,
                sortKey, item, exportTimeMillis, documentVersion, false, exportArn, dataFileS3Key, line);
    }
}
