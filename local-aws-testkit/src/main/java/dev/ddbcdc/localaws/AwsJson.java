package dev.ddbcdc.localaws;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON of the AWS JSON 1.0 protocol (request fields, epoch-second timestamps) and of the export manifests. */
final class AwsJson {

    static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    /** Exact numbers both ways: decimals are read as BigDecimal and written plain. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private AwsJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses a request body; an empty body is an empty object. */
    static ObjectNode parseRequest(byte[] body) {
        if (body.length == 0) {
            return object();
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw AwsServiceError.serialization("Request body is not a JSON object");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw AwsServiceError.serialization("Request body is not valid JSON: " + e.getMessage());
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An optional string field; a non-string value is a validation error. */
    static String text(ObjectNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw AwsServiceError.serialization("Field " + field + " must be a string");
        }
        return node.textValue();
    }

    static String requiredText(ObjectNode request, String field) {
        String value = text(request, field);
        if (value == null) {
            throw AwsServiceError.validation("1 validation error detected: Value null at '" + lowerFirst(field)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    static Integer integer(ObjectNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw AwsServiceError.serialization("Field " + field + " must be an integer");
        }
        return node.intValue();
    }

    static Boolean bool(ObjectNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw AwsServiceError.serialization("Field " + field + " must be a boolean");
        }
        return node.booleanValue();
    }

    /** A timestamp field in the protocol's default form: epoch seconds as a JSON number, possibly fractional. */
    static Instant timestamp(ObjectNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        BigDecimal seconds;
        if (node.isNumber()) {
            seconds = node.decimalValue();
        } else if (node.isTextual()) {
            try {
                seconds = new BigDecimal(node.textValue());
            } catch (NumberFormatException e) {
                throw AwsServiceError.serialization("Field " + field + " must be epoch seconds");
            }
        } else {
            throw AwsServiceError.serialization("Field " + field + " must be epoch seconds");
        }
        BigDecimal nanos = seconds.setScale(9, RoundingMode.DOWN).movePointRight(9);
        try {
            return Instant.EPOCH.plusNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            throw AwsServiceError.validation("Field " + field + " is out of range: " + seconds.toPlainString());
        }
    }

    /** Epoch seconds with millisecond fraction, as AWS JSON 1.0 writes timestamps. */
    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    static void putTimestamp(ObjectNode node, String field, Instant instant) {
        if (instant != null) {
            node.put(field, epochSeconds(instant));
        }
    }

    static void putIfNotNull(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** {@code 2020-11-04T07:28:34.028Z}, as in the export manifests. */
    static String isoMillis(Instant instant) {
        return instant == null ? null : ISO_MILLIS.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private static String lowerFirst(String field) {
        return Character.toLowerCase(field.charAt(0)) + field.substring(1);
    }
}
