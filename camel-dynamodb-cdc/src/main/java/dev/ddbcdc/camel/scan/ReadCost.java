package dev.ddbcdc.camel.scan;

import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The read capacity units one Scan call consumed: what DynamoDB reports ({@code ReturnConsumedCapacity=TOTAL}; DynamoDB
 * Local reports it too), else an estimate the way DynamoDB bills a Scan: the sizes of the items read are summed and
 * rounded up to the next 4 KB, one unit per 4 KB for a consistent read, half a unit for an eventually consistent one.
 */
final class ReadCost {

    static final int UNIT_BYTES = 4096;

    private ReadCost() {
    }

    static double of(ScanResponse page, boolean consistentRead) {
        if (page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null) {
            return page.consumedCapacity().capacityUnits();
        }
        return estimate(page.items(), consistentRead);
    }

    /** What reading these items in one call costs by DynamoDB's rules (a call that reads nothing: one 4 KB unit). */
    static double estimate(List<Map<String, AttributeValue>> items, boolean consistentRead) {
        long bytes = 0;
        for (Map<String, AttributeValue> item : items) {
            bytes += ItemSize.of(item);
        }
        long units = Math.max(1, (bytes + UNIT_BYTES - 1) / UNIT_BYTES);
        return consistentRead ? units : units / 2.0;
    }
}
