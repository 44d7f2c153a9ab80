package dev.ddbcdc.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbcdc.camel.export.ItemParser;
import dev.ddbcdc.camel.options.ExportFormat;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalDynamoDbExtension;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Exchange;
import org.apache.camel.cloudevents.CloudEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** outputFormat=ENVELOPE and outputFormat=CLOUDEVENTS, on the same changes as the plain map. */
class OutputFormatsTest {

    @RegisterExtension
    static LocalDynamoDbExtension local = new LocalDynamoDbExtension();
    static LocalDynamoDb ddb;
    static String streamArn;

    @BeforeAll
    static void changes() {
        ddb = local.get();
        streamArn = Tables.createWithStream(ddb.client(), "formats", StreamViewType.NEW_AND_OLD_IMAGES);
        ddb.client().putItem(b -> b.tableName("formats").item(ChangeEventsTest.everyType("k1")));
        ddb.client().updateItem(b -> b.tableName("formats").key(Map.of("pk", AttributeValue.fromS("k1")))
                .updateExpression("SET s = :v").expressionAttributeValues(Map.of(":v", AttributeValue.fromS("changed"))));
        ddb.client().deleteItem(b -> b.tableName("formats").key(Map.of("pk", AttributeValue.fromS("k1"))));
    }

    static List<Exchange> read(String format) throws Exception {
        try (CdcHarness cdc = new CdcHarness()) {
            cdc.start(CdcHarness.uri(ddb, "formats", "startPosition=TRIM_HORIZON&outputFormat=" + format
                                                     + "&consumerId=" + format));
            return cdc.await(3, Duration.ofSeconds(20));
        }
    }

    @Test
    void envelopeHasOpKeysBeforeAfterAndSource() throws Exception {
        List<Exchange> events = read("ENVELOPE");
        List<Map<?, ?>> envelopes = events.stream().map(e -> (Map<?, ?>) e.getMessage().getBody(Map.class))
                .collect(Collectors.toList());
        assertEquals(List.of("INSERT", "MODIFY", "REMOVE"),
                envelopes.stream().map(e -> e.get("op")).collect(Collectors.toList()));
        assertEquals(Map.of("pk", "k1"), envelopes.get(0).get("keys"));
        assertNull(envelopes.get(0).get("before"));
        assertEquals("text é", ((Map<?, ?>) envelopes.get(1).get("before")).get("s"));
        assertEquals("changed", ((Map<?, ?>) envelopes.get(1).get("after")).get("s"));
        assertNull(envelopes.get(2).get("after"));
        Map<?, ?> source = (Map<?, ?>) envelopes.get(2).get("source");
        assertEquals("formats", source.get("table"));
        assertEquals(streamArn, source.get("streamArn"));
        assertEquals(events.get(2).getMessage().getHeader(DynamoDbCdcConstants.EVENT_ID), source.get("eventId"));
        assertNotNull(source.get("sequenceNumber"));
        assertNotNull(source.get("documentVersion"));
    }

    @Test
    void cloudEventsAsTriggerMeshEmitsThem() throws Exception {
        List<Exchange> events = read("CLOUDEVENTS");
        Exchange insert = events.get(0);
        String tableArn = streamArn.substring(0, streamArn.indexOf("/stream/"));
        assertEquals("com.amazon.dynamodb.stream_record", insert.getMessage().getHeader(CloudEvent.CAMEL_CLOUD_EVENT_TYPE));
        assertEquals(tableArn, insert.getMessage().getHeader(CloudEvent.CAMEL_CLOUD_EVENT_SOURCE));
        assertEquals(insert.getMessage().getHeader(DynamoDbCdcConstants.EVENT_ID),
                insert.getMessage().getHeader(CloudEvent.CAMEL_CLOUD_EVENT_ID));
        assertEquals("pk", insert.getMessage().getHeader(CloudEvent.CAMEL_CLOUD_EVENT_SUBJECT));
        assertEquals("1.0", insert.getMessage().getHeader(CloudEvent.CAMEL_CLOUD_EVENT_VERSION));
        assertEquals("application/json", insert.getMessage().getHeader(CloudEvent.CAMEL_CLOUD_EVENT_DATA_CONTENT_TYPE));
        Instant.parse(insert.getMessage().getHeader(CloudEvent.CAMEL_CLOUD_EVENT_TIME, String.class));
        assertEquals(List.of("INSERT", "MODIFY", "REMOVE"), events.stream().map(e -> ((Map<?, ?>) e.getMessage()
                .getHeader(CloudEvent.CAMEL_CLOUD_EVENT_EXTENSIONS)).get("dynamodboperation")).collect(Collectors.toList()));

        // data is the whole stream record, as TriggerMesh sends it: region, event id and name, source, Dynamodb
        JsonNode record = new ObjectMapper().readTree(insert.getMessage().getBody(String.class));
        assertEquals(insert.getMessage().getHeader(DynamoDbCdcConstants.EVENT_ID), record.at("/EventID").asText());
        assertEquals("INSERT", record.at("/EventName").asText());
        assertEquals("aws:dynamodb", record.at("/EventSource").asText());
        assertEquals(tableArn.split(":")[3], record.at("/AwsRegion").asText());
        assertTrue(record.get("UserIdentity") == null, "not a time-to-live deletion");
        JsonNode data = record.get("Dynamodb");
        assertEquals("k1", data.at("/Keys/pk/S").asText());
        assertEquals("12345678901234567890.123456789", data.at("/NewImage/n/N").asText());
        assertTrue(data.at("/NewImage/nul/NULL").asBoolean());
        assertEquals("[\"x\",\"y\"]", data.at("/NewImage/ss/SS").toString());
        assertNotNull(data.get("SequenceNumber"));
        Instant.parse(data.get("ApproximateCreationDateTime").asText());
        // the images are DynamoDB JSON: read back, it is the item the MAP format delivers
        Map<String, Object> item = ItemParser.of(ExportFormat.DYNAMODB_JSON)
                .parse("{\"Item\":" + data.get("NewImage") + "}");
        Map<String, Object> expected = dev.ddbcdc.camel.event.AttributeValues.toJava(ChangeEventsTest.everyType("k1"));
        assertEquals(SnapshotItems.comparable(expected), SnapshotItems.comparable(item));
        JsonNode remove = new ObjectMapper().readTree(events.get(2).getMessage().getBody(String.class));
        assertEquals("REMOVE", remove.at("/EventName").asText());
        assertTrue(remove.at("/Dynamodb/NewImage").isMissingNode() && !remove.at("/Dynamodb/OldImage").isMissingNode(),
                remove.toString());
    }
}
