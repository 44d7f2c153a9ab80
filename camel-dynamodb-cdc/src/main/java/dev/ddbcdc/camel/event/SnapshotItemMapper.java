package dev.ddbcdc.camel.event;

import java.util.Map;

import dev.ddbcdc.camel.DynamoDbCdcConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Fills an exchange from one snapshot item: operation READ, the item as body and new image, the headers stream
 * events have where they apply, and where in the export the item came from.
 */
public final class SnapshotItemMapper {

    /** The operation name of snapshot items. */
    public static final String READ = "READ";

    private final String tableName;
    private final KeySchema keySchema;
    private final String exportArn;
    private final long exportTimeMillis;
    private final long documentVersion;

    /** @param documentVersion the version every item of this snapshot carries (see {@link DocumentVersion}) */
    public SnapshotItemMapper(String tableName, KeySchema keySchema, String exportArn, long exportTimeMillis,
                              long documentVersion) {
        this.tableName = tableName;
        this.keySchema = keySchema;
        this.exportArn = exportArn;
        this.exportTimeMillis = exportTimeMillis;
        this.documentVersion = documentVersion;
    }

    public void fill(Exchange exchange, Map<String, Object> item, String dataFileS3Key, long line) {
        Message message = exchange.getMessage();
        message.setBody(item);
        message.setHeader(DynamoDbCdcConstants.OPERATION, READ);
        message.setHeader(DynamoDbCdcConstants.TABLE_NAME, tableName);
        message.setHeader(DynamoDbCdcConstants.KEYS, keySchema.keysOf(item));
        message.setHeader(DynamoDbCdcConstants.PRIMARY_KEY, keySchema.primaryKeyOf(item));
        message.setHeader(DynamoDbCdcConstants.PARTITION_KEY, keySchema.partitionKeyString(item));
        message.setHeader(DynamoDbCdcConstants.SORT_KEY, keySchema.sortKeyString(item));
        message.setHeader(DynamoDbCdcConstants.NEW_IMAGE, item);
        message.setHeader(DynamoDbCdcConstants.TIMESTAMP, exportTimeMillis);
        message.setHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, documentVersion);
        message.setHeader(DynamoDbCdcConstants.TTL_DELETE, false);
        message.setHeader(DynamoDbCdcConstants.EXPORT_ARN, exportArn);
        message.setHeader(DynamoDbCdcConstants.EXPORT_DATA_FILE, dataFileS3Key);
        message.setHeader(DynamoDbCdcConstants.EXPORT_LINE, line);
    }
}
