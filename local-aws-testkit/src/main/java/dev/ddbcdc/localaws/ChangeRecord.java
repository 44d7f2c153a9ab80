package dev.ddbcdc.localaws;

import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One line of an incremental export: an item's changes in the export window compacted into one. {@code keys} are the
 * item's key attributes; {@code newImage} its state at the end of the window (null: deleted); {@code oldImage} its
 * state at the start (null: it did not exist then, or the view is NEW_IMAGE); {@code writeTimestampMicros} the time of
 * its last write in the window, in microseconds since the epoch.
 */
record ChangeRecord(long writeTimestampMicros, Map<String, AttributeValue> keys, Map<String, AttributeValue> newImage,
        Map<String, AttributeValue> oldImage) {
}
