package dev.ddbcdc.camel.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadCostTest {

    /** An item of about {@code bytes} bytes: a 2-byte name "pk" plus a string value. */
    static Map<String, AttributeValue> itemOf(int bytes) {
        return Map.of("pk", AttributeValue.fromS("x".repeat(bytes - 2)));
    }

    @Test
    void whatDynamoDbReportsIsTheCost() {
        ScanResponse page = ScanResponse.builder().items(List.of(itemOf(100)))
                .consumedCapacity(ConsumedCapacity.builder().capacityUnits(7.5).build()).build();
        assertEquals(7.5, ReadCost.of(page, false));
    }

    @Test
    void withoutAReportTheItemSizesAreSummedAndRoundedUpTo4KbUnitsHalvedForEventualConsistency() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(itemOf(1000)); // 5,000 bytes: two 4 KB units
        }
        assertEquals(2.0, ReadCost.estimate(items, true));
        assertEquals(1.0, ReadCost.estimate(items, false));
        assertEquals(1.0, ReadCost.of(ScanResponse.builder().items(items).build(), false));
        assertEquals(1.0, ReadCost.estimate(List.of(itemOf(4096)), true), "exactly 4 KB is one unit");
        assertEquals(2.0, ReadCost.estimate(List.of(itemOf(4097)), true));
        assertEquals(0.5, ReadCost.estimate(List.of(), false), "a call that reads nothing still costs a unit");
    }

    @Test
    void itemSizesFollowDynamoDbsRules() {
        assertEquals(2 + 3, ItemSize.of(Map.of("ab", AttributeValue.fromS("xyz"))));
        assertEquals(1 + 2, ItemSize.of(Map.of("é", AttributeValue.fromBool(true))), "names in UTF-8 bytes");
        assertEquals(1 + 4, ItemSize.of(Map.of("n", AttributeValue.fromN("12345"))), "5 digits: (5 + 1) / 2 + 1 bytes");
        assertEquals(1 + 2, ItemSize.of(Map.of("n", AttributeValue.fromN("1000"))), "trailing zeros do not count");
        assertEquals(1 + 4, ItemSize.of(Map.of("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[4])))));
        assertEquals(1 + 3 + (1 + 1) + (1 + 1), ItemSize.of(Map.of("l", AttributeValue.fromL(List.of(
                AttributeValue.fromNul(true), AttributeValue.fromBool(false))))));
        assertEquals(1 + 3 + (1 + 1 + 2), ItemSize.of(Map.of("m", AttributeValue.fromM(Map.of("k",
                AttributeValue.fromS("vv"))))));
        assertEquals(1 + 2 + 3, ItemSize.of(Map.of("s", AttributeValue.fromSs(List.of("ab", "cde")))));
    }
}
