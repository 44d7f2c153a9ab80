package dev.ddbcdc.camel.event;

import java.util.Map;

import dev.ddbcdc.camel.options.ViewOnRemove;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/** Fills an exchange from a stream record: the body is the item image, everything else goes into headers. */
public final class StreamRecordMapper {

    static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

    private final String tableName;
    private final String streamArn;
    private final KeySchema keySchema;
    private final ViewOnRemove viewOnRemove;

    public StreamRecordMapper(String tableName, String streamArn, String partitionKey, String sortKey,
                              ViewOnRemove viewOnRemove) {
        this.tableName = tableName;
        this.streamArn = streamArn;
        this.keySchema = new KeySchema(partitionKey, sortKey);
        this.viewOnRemove = viewOnRemove;
    }

    public void fill(Exchange exchange, String shardId, Record record) {
        StreamRecord change = record.dynamodb();
        Map<String, Object> keys = AttributeValues.toJava(change.keys());
        // the SDK answers an absent image with an empty auto-constructed map: ask whether it was sent
        Map<String, Object> newImage = change.hasNewImage() ? AttributeValues.toJava(change.newImage()) : null;
        Map<String, Object> oldImage = change.hasOldImage() ? AttributeValues.toJava(change.oldImage()) : null;
        boolean remove = record.eventName() == OperationType.REMOVE;

        Message message = exchange.getMessage();
        if (remove) {
            message.setBody(viewOnRemove == ViewOnRemove.OLD_IMAGE ? oldImage : keys);
        } else {
            message.setBody(newImage);
        }
        message.setHeader(ChangeHeaders.OPERATION, record.eventNameAsString());
        message.setHeader(ChangeHeaders.TABLE_NAME, tableName);
        message.setHeader(ChangeHeaders.KEYS, keys);
        message.setHeader(ChangeHeaders.PRIMARY_KEY, keySchema.primaryKey(change.keys()));
        message.setHeader(ChangeHeaders.PARTITION_KEY, keySchema.partitionKeyString(change.keys()));
        message.setHeader(ChangeHeaders.SORT_KEY, keySchema.sortKeyString(change.keys()));
        if (oldImage != null) {
            message.setHeader(ChangeHeaders.OLD_IMAGE, oldImage);
        }
        if (newImage != null) {
            message.setHeader(ChangeHeaders.NEW_IMAGE, newImage);
        }
        message.setHeader(ChangeHeaders.EVENT_ID, record.eventID());
        message.setHeader(ChangeHeaders.SEQUENCE_NUMBER, change.sequenceNumber());
        message.setHeader(ChangeHeaders.SHARD_ID, shardId);
        message.setHeader(ChangeHeaders.STREAM_ARN, streamArn);
        message.setHeader(ChangeHeaders.TIMESTAMP, change.approximateCreationDateTime().toEpochMilli());
        message.setHeader(ChangeHeaders.DOCUMENT_VERSION,
                DocumentVersion.ofStreamRecord(change.approximateCreationDateTime(), change.sequenceNumber()));
        message.setHeader(ChangeHeaders.TTL_DELETE, remove && isTtlDeletion(record.userIdentity()));
    }

    private static boolean isTtlDeletion(Identity identity) {
        return identity != null && "Service".equals(identity.type()) && TTL_PRINCIPAL.equals(identity.principalId());
    }
}
