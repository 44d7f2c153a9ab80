package dev.ddbcdc.camel.event;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Fills an exchange from one snapshot item: operation READ, the item as body and new image, the headers stream
 * events have where they apply, and where the item came from: its export data file and line, or its Scan segment.
 */
public final class SnapshotItemMapper implements DataLineMapper {

    /** The operation name of snapshot items. */
    public static final String READ = "READ";

    private static final HeaderBlock HEADERS = new HeaderBlock(ChangeHeaders.OPERATION,
            ChangeHeaders.TABLE_NAME, ChangeHeaders.KEYS, ChangeHeaders.PRIMARY_KEY,
            ChangeHeaders.PARTITION_KEY, ChangeHeaders.SORT_KEY, ChangeHeaders.NEW_IMAGE,
            ChangeHeaders.TIMESTAMP, ChangeHeaders.DOCUMENT_VERSION, ChangeHeaders.TTL_DELETE,
            ChangeHeaders.EXPORT_ARN, ChangeHeaders.EXPORT_DATA_FILE, ChangeHeaders.EXPORT_LINE);
    private static final HeaderBlock SCAN_HEADERS = new HeaderBlock(ChangeHeaders.OPERATION,
            ChangeHeaders.TABLE_NAME, ChangeHeaders.KEYS, ChangeHeaders.PRIMARY_KEY,
            ChangeHeaders.PARTITION_KEY, ChangeHeaders.SORT_KEY, ChangeHeaders.NEW_IMAGE,
            ChangeHeaders.TIMESTAMP, ChangeHeaders.DOCUMENT_VERSION, ChangeHeaders.TTL_DELETE,
            ChangeHeaders.SCAN_SEGMENT);

    private final String tableName;
    private final KeySchema keySchema;
    private final String exportArn;
    /** Boxed once: every item of the snapshot carries the same two values. */
    private final Long exportTimeMillis;
    private final Long documentVersion;

    /**
     * @param exportArn       the export, or {@code null} for a scan
     * @param documentVersion the version every item of this snapshot carries (see {@link DocumentVersion})
     */
    public SnapshotItemMapper(String tableName, KeySchema keySchema, String exportArn, long exportTimeMillis,
                              long documentVersion) {
        this.tableName = tableName;
        this.keySchema = keySchema;
        this.exportArn = exportArn;
        this.exportTimeMillis = exportTimeMillis;
        this.documentVersion = documentVersion;
    }

    @Override
    public void fill(Exchange exchange, Map<String, Object> item, String dataFileS3Key, Long line) {
        apply(HEADERS, exchange, item, exportArn, dataFileS3Key, line);
    }

    /** A Scan item: the segment header instead of the export's. */
    public void fillScanItem(Exchange exchange, Map<String, Object> item, Integer segment) {
        apply(SCAN_HEADERS, exchange, item, segment);
    }

    private void apply(HeaderBlock headers, Exchange exchange, Map<String, Object> item, Object... source) {
        Message message = exchange.getMessage();
        message.setBody(item);
        // each key string once: the primary key is made of the partition and sort key strings
        Map<String, Object> keys = keySchema.keysOf(item);
        String partitionKey = keySchema.partitionKeyString(keys);
        String sortKey = keySchema.sortKeyString(keys);
        Object[] values = new Object[10 + source.length];
        values[0] = READ;
        values[1] = tableName;
        values[2] = keys;
        values[3] = KeySchema.primaryKey(partitionKey, sortKey);
        values[4] = partitionKey;
        values[5] = sortKey;
        values[6] = item;
        values[7] = exportTimeMillis;
        values[8] = documentVersion;
        values[9] = Boolean.FALSE;
        System.arraycopy(source, 0, values, 10, source.length);
        headers.apply(message, values);
    }
}
