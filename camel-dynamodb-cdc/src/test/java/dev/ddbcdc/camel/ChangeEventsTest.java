package dev.ddbcdc.camel;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stream records of every kind and attribute type arrive as exchanges with the right body and headers. */
class ChangeEventsTest {

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;

    @BeforeAll
    static void start() {
        ddb = local.get();
    }

    static Map<String, AttributeValue> everyType(String pk) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        item.put("s", AttributeValue.fromS("text é"));
        item.put("n", AttributeValue.fromN("12345678901234567890.123456789"));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] { 0, 1, 2, (byte) 255 })));
        item.put("bool", AttributeValue.fromBool(true));
        item.put("nul", AttributeValue.fromNul(true));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromN("1.50"),
                AttributeValue.fromNul(true))));
        item.put("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of("x", AttributeValue.fromN("-7"))))));
        item.put("ss", AttributeValue.fromSs(List.of("x", "y")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2.5")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] { 9 }))));
        return item;
    }

    @Test
    void insertModifyRemoveWithEveryAttributeType() throws Exception {
        String streamArn = Tables.createWithStream(ddb.client(), "every_type", StreamViewType.NEW_AND_OLD_IMAGES);
        try (CdcHarness cdc = new CdcHarness()
                .start(CdcHarness.uri(ddb, "every_type", "startPosition=TRIM_HORIZON&viewOnRemove=OLD_IMAGE"))) {
            ddb.client().putItem(b -> b.tableName("every_type").item(everyType("k1")));
            ddb.client().updateItem(b -> b.tableName("every_type").key(Map.of("pk", AttributeValue.fromS("k1")))
                    .updateExpression("SET s = :v").expressionAttributeValues(Map.of(":v", AttributeValue.fromS("changed"))));
            ddb.client().deleteItem(b -> b.tableName("every_type").key(Map.of("pk", AttributeValue.fromS("k1"))));

            List<Exchange> events = cdc.await(3, Duration.ofSeconds(20));
            assertEquals(List.of("INSERT", "MODIFY", "REMOVE"), events.stream()
                    .map(e -> e.getMessage().getHeader(DynamoDbCdcConstants.OPERATION, String.class))
                    .collect(Collectors.toList()));

            Exchange insert = events.get(0);
            Map<?, ?> body = insert.getMessage().getBody(Map.class);
            assertEquals("k1", body.get("pk"));
            assertEquals("text é", body.get("s"));
            assertEquals(new BigDecimal("12345678901234567890.123456789"), body.get("n"));
            assertArrayEquals(new byte[] { 0, 1, 2, (byte) 255 }, (byte[]) body.get("b"));
            assertEquals(Boolean.TRUE, body.get("bool"));
            assertTrue(body.containsKey("nul"));
            assertNull(body.get("nul"));
            assertEquals(Arrays.asList("a", new BigDecimal("1.50"), null), body.get("l"));
            assertEquals(Map.of("inner", Map.of("x", new BigDecimal("-7"))), body.get("m"));
            assertEquals(Set.of("x", "y"), body.get("ss"));
            assertEquals(Set.of(new BigDecimal("1"), new BigDecimal("2.5")), body.get("ns"));
            Set<?> bs = (Set<?>) body.get("bs");
            assertEquals(1, bs.size());
            assertArrayEquals(new byte[] { 9 }, (byte[]) bs.iterator().next());

            assertEquals("every_type", insert.getMessage().getHeader(DynamoDbCdcConstants.TABLE_NAME));
            assertEquals(Map.of("pk", "k1"), insert.getMessage().getHeader(DynamoDbCdcConstants.KEYS));
            assertEquals("k1", insert.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY));
            assertEquals("k1", insert.getMessage().getHeader(DynamoDbCdcConstants.PARTITION_KEY));
            assertEquals(null, insert.getMessage().getHeader(DynamoDbCdcConstants.SORT_KEY), "no sort key");
            assertEquals(streamArn, insert.getMessage().getHeader(DynamoDbCdcConstants.STREAM_ARN));
            assertNull(insert.getMessage().getHeader(DynamoDbCdcConstants.OLD_IMAGE));
            assertEquals(body, insert.getMessage().getHeader(DynamoDbCdcConstants.NEW_IMAGE));
            assertFalse(insert.getMessage().getHeader(DynamoDbCdcConstants.TTL_DELETE, Boolean.class));
            for (Exchange e : events) {
                assertTrue(e.getMessage().getHeader(DynamoDbCdcConstants.EVENT_ID, String.class).length() > 0);
                assertTrue(e.getMessage().getHeader(DynamoDbCdcConstants.SHARD_ID, String.class).startsWith("shardId-"));
                assertTrue(e.getMessage().getHeader(DynamoDbCdcConstants.SEQUENCE_NUMBER, String.class).matches("\\d+"));
                long timestamp = e.getMessage().getHeader(DynamoDbCdcConstants.TIMESTAMP, Long.class);
                assertTrue(Math.abs(System.currentTimeMillis() - timestamp) < 5 * 60_000, "timestamp " + timestamp);
            }
            long v1 = events.get(0).getMessage().getHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, Long.class);
            long v2 = events.get(1).getMessage().getHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, Long.class);
            long v3 = events.get(2).getMessage().getHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, Long.class);
            assertTrue(v1 < v2 && v2 < v3, "document versions grow: " + v1 + " " + v2 + " " + v3);

            Exchange modify = events.get(1);
            assertEquals("changed", modify.getMessage().getBody(Map.class).get("s"));
            assertEquals("text é", modify.getMessage().getHeader(DynamoDbCdcConstants.OLD_IMAGE, Map.class).get("s"));

            Exchange remove = events.get(2);
            assertEquals("changed", remove.getMessage().getBody(Map.class).get("s"), "OLD_IMAGE body on REMOVE");
            assertNull(remove.getMessage().getHeader(DynamoDbCdcConstants.NEW_IMAGE));
        }
    }

    @Test
    void removeBodyIsTheKeysWithNewImageViewAndSortKeyJoinsPrimaryKey() throws Exception {
        Tables.createWithSortKeyAndStream(ddb.client(), "sorted", StreamViewType.NEW_IMAGE);
        try (CdcHarness cdc = new CdcHarness().start(CdcHarness.uri(ddb, "sorted", "startPosition=TRIM_HORIZON"))) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("42"));
            Map<String, AttributeValue> item = new LinkedHashMap<>(key);
            item.put("payload", AttributeValue.fromS("p"));
            ddb.client().putItem(b -> b.tableName("sorted").item(item));
            ddb.client().deleteItem(b -> b.tableName("sorted").key(key));

            List<Exchange> events = cdc.await(2, Duration.ofSeconds(20));
            Exchange remove = events.get(1);
            assertEquals("REMOVE", remove.getMessage().getHeader(DynamoDbCdcConstants.OPERATION));
            assertEquals(Map.of("pk", "a", "sk", new BigDecimal("42")), remove.getMessage().getBody(Map.class));
            assertEquals("a|42", remove.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY));
            assertEquals("a", remove.getMessage().getHeader(DynamoDbCdcConstants.PARTITION_KEY));
            assertEquals("42", remove.getMessage().getHeader(DynamoDbCdcConstants.SORT_KEY));
        }
    }

    @Test
    void latestSkipsWhatWasWrittenBeforeStartAndTrimHorizonReadsIt() throws Exception {
        Tables.createWithStream(ddb.client(), "positions", StreamViewType.NEW_IMAGE);
        put("positions", "before");
        try (CdcHarness latest = new CdcHarness().start(CdcHarness.uri(ddb, "positions", ""));
             CdcHarness horizon = new CdcHarness().start(
                     CdcHarness.uri(ddb, "positions", "startPosition=TRIM_HORIZON&consumerId=other"))) {
            CdcHarness.awaitCondition(() -> latest.consumer().getMetrics().getRecordsCalls.get() > 0,
                    Duration.ofSeconds(10), () -> "LATEST reader polled");
            put("positions", "after");
            List<Exchange> fromLatest = latest.await(1, Duration.ofSeconds(20));
            List<Exchange> fromHorizon = horizon.await(2, Duration.ofSeconds(20));
            latest.assertNoMoreThan(1, Duration.ofMillis(300));
            assertEquals("after", fromLatest.get(0).getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY));
            assertEquals(List.of("before", "after"), fromHorizon.stream()
                    .map(e -> e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class))
                    .collect(Collectors.toList()));
        }
    }

    static void put(String table, String pk) {
        ddb.client().putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk))));
    }
}
