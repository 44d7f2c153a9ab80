package dev.ddbcdc.camel;

import dev.ddbcdc.camel.event.ChangeHeaders;
import org.apache.camel.spi.Metadata;

/** The headers of every exchange the consumer creates. Their names are a public contract. */
public final class DynamoDbCdcConstants {

    @Metadata(description = "The kind of change: INSERT, MODIFY, REMOVE (stream) or READ (snapshot).",
              javaType = "String")
    public static final String OPERATION = ChangeHeaders.OPERATION;
    @Metadata(description = "The table's name.", javaType = "String")
    public static final String TABLE_NAME = ChangeHeaders.TABLE_NAME;
    @Metadata(description = "The item's key attributes as plain Java values.", javaType = "java.util.Map<String, Object>")
    public static final String KEYS = ChangeHeaders.KEYS;
    @Metadata(description = "The item's primary key as a string: the partition key value, or partition and sort key"
                            + " values joined by a vertical bar. Numbers in plain notation without trailing zeros, binary values as"
                            + " base64.",
              javaType = "String")
    public static final String PRIMARY_KEY = ChangeHeaders.PRIMARY_KEY;
    @Metadata(description = "The partition key value as a string (the same rules as the primary key string).",
              javaType = "String")
    public static final String PARTITION_KEY = ChangeHeaders.PARTITION_KEY;
    @Metadata(description = "The sort key value as a string; absent when the table has no sort key.",
              javaType = "String")
    public static final String SORT_KEY = ChangeHeaders.SORT_KEY;
    @Metadata(description = "The item before the change (needs stream view type NEW_AND_OLD_IMAGES); absent for"
                            + " INSERT.",
              javaType = "java.util.Map<String, Object>")
    public static final String OLD_IMAGE = ChangeHeaders.OLD_IMAGE;
    @Metadata(description = "The item after the change; absent for REMOVE.", javaType = "java.util.Map<String, Object>")
    public static final String NEW_IMAGE = ChangeHeaders.NEW_IMAGE;
    @Metadata(description = "The stream record's unique event id.", javaType = "String")
    public static final String EVENT_ID = ChangeHeaders.EVENT_ID;
    @Metadata(description = "The stream record's sequence number (a decimal string, increasing within a shard).",
              javaType = "String")
    public static final String SEQUENCE_NUMBER = ChangeHeaders.SEQUENCE_NUMBER;
    @Metadata(description = "The id of the shard the record was read from.", javaType = "String")
    public static final String SHARD_ID = ChangeHeaders.SHARD_ID;
    @Metadata(description = "The ARN of the stream the record was read from.", javaType = "String")
    public static final String STREAM_ARN = ChangeHeaders.STREAM_ARN;
    @Metadata(description = "When the change was made (DynamoDB's approximate creation time), epoch milliseconds. For"
                            + " READ events: the export time, or the time the scan began.",
              javaType = "Long")
    public static final String TIMESTAMP = ChangeHeaders.TIMESTAMP;
    @Metadata(description = "A number that grows with the time of the change: a later change of an item has a higher"
                            + " version (within one second, see the user guide for the limits). Snapshot (READ) items carry a version below that of every stream record delivered after"
                            + " the snapshot. Use it for external versioning in sinks.",
              javaType = "Long")
    public static final String DOCUMENT_VERSION = ChangeHeaders.DOCUMENT_VERSION;
    @Metadata(description = "True when the change is a deletion by DynamoDB's time-to-live process.",
              javaType = "Boolean")
    public static final String TTL_DELETE = ChangeHeaders.TTL_DELETE;

    @Metadata(description = "READ events: the ARN of the table export the item was read from.", javaType = "String")
    public static final String EXPORT_ARN = ChangeHeaders.EXPORT_ARN;
    @Metadata(description = "READ events: the S3 key of the export data file the item was read from.",
              javaType = "String")
    public static final String EXPORT_DATA_FILE = ChangeHeaders.EXPORT_DATA_FILE;
    @Metadata(description = "READ events: the item's line in its export data file (from 1).", javaType = "Long")
    public static final String EXPORT_LINE = ChangeHeaders.EXPORT_LINE;
    @Metadata(description = "READ events of a snapshot by Scan (snapshotMode=SCAN): the segment the item was read"
                            + " from (from 0 to scanSegments - 1). Scan items carry no export headers.",
              javaType = "Integer")
    public static final String SCAN_SEGMENT = ChangeHeaders.SCAN_SEGMENT;
    @Metadata(description = "Batches (batchSize > 1): on the batch exchange, whose body is a List of exchanges (one"
                            + " per change, each with the headers above), how many changes it holds.",
              javaType = "Integer")
    public static final String BATCH_SIZE = ChangeHeaders.BATCH_SIZE;
    @Metadata(description = "Batches: set by the route on the batch exchange (header or exchange property) to report"
                            + " the changes that failed, as a Collection of their indexes in the body's List (Integer)"
                            + " or of the failed item exchanges themselves; an item exchange with an exception counts"
                            + " as failed too. Every change before the first failed one is acknowledged, that one and"
                            + " the rest are delivered again (like Lambda's ReportBatchItemFailures).",
              javaType = "java.util.Collection<Object>")
    public static final String BATCH_ITEM_FAILURES = ChangeHeaders.BATCH_ITEM_FAILURES;

    private DynamoDbCdcConstants() {
    }
}
