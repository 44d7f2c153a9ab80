package dev.ddbcdc.camel.event;

/**
 * The names of the headers every exchange carries, defined once for the mapping classes of this package. The public
 * contract, with each header's meaning, is {@code dev.ddbcdc.camel.DynamoDbCdcConstants}, which refers to these.
 */
public final class ChangeHeaders {

    public static final String OPERATION = "CamelDynamoDbCdcOperation";
    public static final String TABLE_NAME = "CamelDynamoDbCdcTableName";
    public static final String KEYS = "CamelDynamoDbCdcKeys";
    public static final String PRIMARY_KEY = "CamelDynamoDbCdcPrimaryKey";
    public static final String PARTITION_KEY = "CamelDynamoDbCdcPartitionKey";
    public static final String SORT_KEY = "CamelDynamoDbCdcSortKey";
    public static final String OLD_IMAGE = "CamelDynamoDbCdcOldImage";
    public static final String NEW_IMAGE = "CamelDynamoDbCdcNewImage";
    public static final String EVENT_ID = "CamelDynamoDbCdcEventId";
    public static final String SEQUENCE_NUMBER = "CamelDynamoDbCdcSequenceNumber";
    public static final String SHARD_ID = "CamelDynamoDbCdcShardId";
    public static final String STREAM_ARN = "CamelDynamoDbCdcStreamArn";
    public static final String TIMESTAMP = "CamelDynamoDbCdcTimestamp";
    public static final String DOCUMENT_VERSION = "CamelDynamoDbCdcDocumentVersion";
    public static final String TTL_DELETE = "CamelDynamoDbCdcTtlDelete";
    public static final String EXPORT_ARN = "CamelDynamoDbCdcExportArn";
    public static final String EXPORT_DATA_FILE = "CamelDynamoDbCdcExportDataFile";
    public static final String EXPORT_LINE = "CamelDynamoDbCdcExportLine";
    public static final String SCAN_SEGMENT = "CamelDynamoDbCdcScanSegment";
    public static final String BATCH_SIZE = "CamelDynamoDbCdcBatchSize";
    public static final String BATCH_ITEM_FAILURES = "CamelDynamoDbCdcBatchItemFailures";

    private ChangeHeaders() {
    }
}
