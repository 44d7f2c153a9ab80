package dev.ddbcdc.example;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ddbcdc.camel.event.AttributeValues;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The demo's change lines show binary values in base64, never as {@code [B@...}. */
class ReadableValuesTest {

    @Test
    void binaryValuesAreShownInBase64WithAMarkerWhereverTheyAre() {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("pk", "order-1");
        item.put("qty", new BigDecimal("1E+2"));
        item.put("receipt", new byte[] { (byte) 0xca, (byte) 0xfe, 0, 1 });
        item.put("parts", new LinkedHashSet<>(List.of(new byte[] { 1 }, new byte[] { 2 })));
        item.put("nested", Map.of("blob", new byte[] { 3 }));
        item.put("list", List.of("a", new byte[0]));
        item.put("none", null);

        assertEquals("{pk=order-1, qty=100, receipt=base64:yv4AAQ==, parts=[base64:AQ==, base64:Ag==],"
                     + " nested={blob=base64:Aw==}, list=[a, base64:], none=null}", ReadableValues.format(item));
    }

    @Test
    void anItemAsTheComponentDeliversItHasNoArrayIdentityInItsLine() {
        Map<String, Object> body = AttributeValues.toJava(Map.of("pk", AttributeValue.fromS("order-1"),
                "receipt", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] { 7, 8 })),
                "codes", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] { 9 })))));
        String line = ReadableValues.format(body);
        assertFalse(line.contains("[B@"), line);
        assertEquals(Set.of("pk=order-1", "receipt=base64:Bwg=", "codes=[base64:CQ==]"),
                Set.of(line.substring(1, line.length() - 1).split(", ")));
    }
}
