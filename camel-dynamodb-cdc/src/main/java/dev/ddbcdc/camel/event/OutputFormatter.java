package dev.ddbcdc.camel.event;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ddbcdc.camel.options.OutputFormat;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.cloudevents.CloudEvent;

/**
 * Turns the body of an exchange filled by {@link StreamRecordMapper} or {@link SnapshotItemMapper} into the
 * configured {@link OutputFormat}. Everything it needs is in the headers, so both phases share it.
 */
public final class OutputFormatter {

    /** The CloudEvent type TriggerMesh's AWSDynamoDBSource gives every change. */
    public static final String CLOUD_EVENT_TYPE = "com.amazon.dynamodb.stream_record";
    /** The CloudEvent extension that carries the operation. */
    public static final String OPERATION_EXTENSION = "dynamodboperation";

    private static final JsonFactory JSON = new JsonFactory();

    private final OutputFormat format;
    private final String tableArn;
    private final String region;

    public OutputFormatter(OutputFormat format, String tableArn) {
        this.format = format;
        this.tableArn = tableArn;
        // arn:aws:dynamodb:<region>:<account>:table/<name>
        String[] arn = tableArn.split(":", 6);
        this.region = arn.length == 6 ? arn[3] : "";
    }

    public void apply(Exchange exchange) {
        if (format == OutputFormat.ENVELOPE) {
            envelope(exchange.getMessage());
        } else if (format == OutputFormat.CLOUDEVENTS) {
            cloudEvent(exchange.getMessage());
        }
    }

    private void envelope(Message message) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("table", message.getHeader(ChangeHeaders.TABLE_NAME));
        source.put("tableArn", tableArn);
        copy(message, source, "streamArn", ChangeHeaders.STREAM_ARN);
        copy(message, source, "shardId", ChangeHeaders.SHARD_ID);
        copy(message, source, "sequenceNumber", ChangeHeaders.SEQUENCE_NUMBER);
        copy(message, source, "eventId", ChangeHeaders.EVENT_ID);
        copy(message, source, "exportArn", ChangeHeaders.EXPORT_ARN);
        copy(message, source, "dataFile", ChangeHeaders.EXPORT_DATA_FILE);
        copy(message, source, "line", ChangeHeaders.EXPORT_LINE);
        source.put("timestamp", message.getHeader(ChangeHeaders.TIMESTAMP));
        source.put("documentVersion", message.getHeader(ChangeHeaders.DOCUMENT_VERSION));
        source.put("ttlDelete", message.getHeader(ChangeHeaders.TTL_DELETE));
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("op", message.getHeader(ChangeHeaders.OPERATION));
        envelope.put("keys", message.getHeader(ChangeHeaders.KEYS));
        envelope.put("before", message.getHeader(ChangeHeaders.OLD_IMAGE));
        envelope.put("after", message.getHeader(ChangeHeaders.NEW_IMAGE));
        envelope.put("source", source);
        message.setBody(envelope);
    }

    private static void copy(Message message, Map<String, Object> target, String name, String header) {
        Object value = message.getHeader(header);
        if (value != null) {
            target.put(name, value);
        }
    }

    private void cloudEvent(Message message) {
        String operation = message.getHeader(ChangeHeaders.OPERATION, String.class);
        Map<?, ?> keys = message.getHeader(ChangeHeaders.KEYS, Map.class);
        long timestamp = message.getHeader(ChangeHeaders.TIMESTAMP, Long.class);
        String id = message.getHeader(ChangeHeaders.EVENT_ID, String.class);
        if (id == null) {
            // a snapshot item: its place in the export is its identity
            id = message.getHeader(ChangeHeaders.EXPORT_DATA_FILE) + "#"
                 + message.getHeader(ChangeHeaders.EXPORT_LINE);
        }
        Set<String> keyNames = new TreeSet<>();
        keys.keySet().forEach(name -> keyNames.add((String) name));
        message.setHeader(CloudEvent.CAMEL_CLOUD_EVENT_VERSION, "1.0");
        message.setHeader(CloudEvent.CAMEL_CLOUD_EVENT_ID, id);
        message.setHeader(CloudEvent.CAMEL_CLOUD_EVENT_SOURCE, tableArn);
        message.setHeader(CloudEvent.CAMEL_CLOUD_EVENT_TYPE, CLOUD_EVENT_TYPE);
        message.setHeader(CloudEvent.CAMEL_CLOUD_EVENT_SUBJECT, String.join(",", keyNames));
        message.setHeader(CloudEvent.CAMEL_CLOUD_EVENT_TIME, Instant.ofEpochMilli(timestamp).toString());
        message.setHeader(CloudEvent.CAMEL_CLOUD_EVENT_DATA_CONTENT_TYPE, "application/json");
        message.setHeader(CloudEvent.CAMEL_CLOUD_EVENT_EXTENSIONS, Map.of(OPERATION_EXTENSION, operation));
        message.setHeader(CloudEvent.CAMEL_CLOUD_EVENT_CONTENT_TYPE, "application/json");
        message.setBody(recordJson(message, id, operation, keys, timestamp));
    }

    /**
     * The change as TriggerMesh's AWSDynamoDBSource puts it in {@code data}: the whole stream {@code Record}, JSON
     * with the AWS field names ({@code AwsRegion}, {@code Dynamodb} with {@code Keys}/{@code NewImage}/
     * {@code OldImage}/{@code SequenceNumber}/{@code ApproximateCreationDateTime}, {@code EventID},
     * {@code EventName}, {@code EventSource}, and {@code UserIdentity} for a time-to-live deletion); values in
     * DynamoDB JSON. Absent values are left out rather than written as null.
     */
    private String recordJson(Message message, String id, String operation, Map<?, ?> keys, long timestamp) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("AwsRegion", region);
            json.writeObjectFieldStart("Dynamodb");
            json.writeStringField("ApproximateCreationDateTime", Instant.ofEpochMilli(timestamp).toString());
            json.writeFieldName("Keys");
            item(json, keys);
            Map<?, ?> newImage = message.getHeader(ChangeHeaders.NEW_IMAGE, Map.class);
            if (newImage != null) {
                json.writeFieldName("NewImage");
                item(json, newImage);
            }
            Map<?, ?> oldImage = message.getHeader(ChangeHeaders.OLD_IMAGE, Map.class);
            if (oldImage != null) {
                json.writeFieldName("OldImage");
                item(json, oldImage);
            }
            String sequenceNumber = message.getHeader(ChangeHeaders.SEQUENCE_NUMBER, String.class);
            if (sequenceNumber != null) {
                json.writeStringField("SequenceNumber", sequenceNumber);
            }
            json.writeEndObject();
            json.writeStringField("EventID", id);
            json.writeStringField("EventName", operation);
            json.writeStringField("EventSource", "aws:dynamodb");
            if (Boolean.TRUE.equals(message.getHeader(ChangeHeaders.TTL_DELETE, Boolean.class))) {
                json.writeObjectFieldStart("UserIdentity");
                json.writeStringField("PrincipalId", StreamRecordMapper.TTL_PRINCIPAL);
                json.writeStringField("Type", "Service");
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void item(JsonGenerator json, Map<?, ?> item) throws IOException {
        json.writeStartObject();
        for (Map.Entry<?, ?> attribute : item.entrySet()) {
            json.writeFieldName((String) attribute.getKey());
            typed(json, attribute.getValue());
        }
        json.writeEndObject();
    }

    /** A plain Java value (as {@link AttributeValues#toJava} makes them) as a typed DynamoDB JSON value. */
    private static void typed(JsonGenerator json, Object value) throws IOException {
        json.writeStartObject();
        if (value == null) {
            json.writeBooleanField("NULL", true);
        } else if (value instanceof String) {
            json.writeStringField("S", (String) value);
        } else if (value instanceof BigDecimal) {
            json.writeStringField("N", ((BigDecimal) value).toString());
        } else if (value instanceof Boolean) {
            json.writeBooleanField("BOOL", (Boolean) value);
        } else if (value instanceof byte[]) {
            json.writeStringField("B", Base64.getEncoder().encodeToString((byte[]) value));
        } else if (value instanceof Map) {
            json.writeFieldName("M");
            item(json, (Map<?, ?>) value);
        } else if (value instanceof List) {
            json.writeArrayFieldStart("L");
            for (Object element : (List<?>) value) {
                typed(json, element);
            }
            json.writeEndArray();
        } else if (value instanceof Set) {
            set(json, (Set<?>) value);
        } else {
            throw new IllegalArgumentException("not a DynamoDB attribute value: " + value.getClass().getName());
        }
        json.writeEndObject();
    }

    private static void set(JsonGenerator json, Collection<?> set) throws IOException {
        Object first = set.iterator().next();
        String type = first instanceof String ? "SS" : first instanceof BigDecimal ? "NS" : "BS";
        json.writeArrayFieldStart(type);
        for (Object element : set) {
            if (element instanceof byte[]) {
                json.writeString(Base64.getEncoder().encodeToString((byte[]) element));
            } else {
                json.writeString(element.toString());
            }
        }
        json.writeEndArray();
    }
}
