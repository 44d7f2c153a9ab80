package dev.ddbcdc.localaws;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code {"Item":{"pk":{"S":"a"},"n":{"N":"0.1"},...}}}: DynamoDB JSON with numbers exactly as the strings DynamoDB
 * returned, binary as base64, {@code "NULL":true}. A line of an incremental export is
 * {@code {"Metadata":{"WriteTimestampMicros":{"N":"1680109764000000"}},"Keys":{...},"OldImage":{...},"NewImage":{...}}}
 * (no OldImage for an item that did not exist at the start or in the NEW_IMAGE view, no NewImage for a deleted one).
 */
final class DynamoDbJsonLineFormat implements ExportLineFormat {

    static final String NAME = "DYNAMODB_JSON";

    @Override
    public String exportFormat() {
        return NAME;
    }

    @Override
    public String fileSuffix() {
        return ".json.gz";
    }

    @Override
    public void writeLine(Map<String, AttributeValue> item, OutputStream out) throws IOException {
        try (JsonGenerator json = AwsJson.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            json.writeStartObject();
            json.writeFieldName("Item");
            writeMap(json, item);
            json.writeEndObject();
        }
        out.write('\n');
    }

    @Override
    public void writeChangeLine(ChangeRecord change, OutputStream out) throws IOException {
        try (JsonGenerator json = AwsJson.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            json.writeStartObject();
            json.writeObjectFieldStart("Metadata");
            json.writeObjectFieldStart("WriteTimestampMicros");
            json.writeStringField("N", Long.toString(change.writeTimestampMicros()));
            json.writeEndObject();
            json.writeEndObject();
            json.writeFieldName("Keys");
            writeMap(json, change.keys());
            if (change.oldImage() != null) {
                json.writeFieldName("OldImage");
                writeMap(json, change.oldImage());
            }
            if (change.newImage() != null) {
                json.writeFieldName("NewImage");
                writeMap(json, change.newImage());
            }
            json.writeEndObject();
        }
        out.write('\n');
    }

    private static void writeMap(JsonGenerator json, Map<String, AttributeValue> map) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, AttributeValue> attribute : map.entrySet()) {
            json.writeFieldName(attribute.getKey());
            writeValue(json, attribute.getValue());
        }
        json.writeEndObject();
    }

    private static void writeValue(JsonGenerator json, AttributeValue value) throws IOException {
        json.writeStartObject();
        switch (value.type()) {
            case S -> json.writeStringField("S", value.s());
            case N -> json.writeStringField("N", value.n());
            case B -> json.writeStringField("B", base64(value.b()));
            case BOOL -> json.writeBooleanField("BOOL", value.bool());
            case NUL -> json.writeBooleanField("NULL", true);
            case SS -> writeStrings(json, "SS", value.ss());
            case NS -> writeStrings(json, "NS", value.ns());
            case BS -> {
                json.writeArrayFieldStart("BS");
                for (SdkBytes bytes : value.bs()) {
                    json.writeString(base64(bytes));
                }
                json.writeEndArray();
            }
            case M -> {
                json.writeFieldName("M");
                writeMap(json, value.m());
            }
            case L -> {
                json.writeArrayFieldStart("L");
                for (AttributeValue element : value.l()) {
                    writeValue(json, element);
                }
                json.writeEndArray();
            }
            default -> throw new IllegalArgumentException("Unknown attribute value type: " + value);
        }
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, String type, List<String> values) throws IOException {
        json.writeArrayFieldStart(type);
        for (String s : values) {
            json.writeString(s);
        }
        json.writeEndArray();
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }
}
