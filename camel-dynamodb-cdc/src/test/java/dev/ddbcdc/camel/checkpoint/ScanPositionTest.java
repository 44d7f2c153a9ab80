package dev.ddbcdc.camel.checkpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanPositionTest {

    static Map<String, AttributeValue> key(String name, AttributeValue value, String sortName, AttributeValue sort) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put(name, value);
        if (sortName != null) {
            key.put(sortName, sort);
        }
        return key;
    }

    @Test
    void everyKeyTypeSurvivesTheCheckpointExactly() {
        List<Map<String, AttributeValue>> keys = List.of(
                key("pk", AttributeValue.fromS("a,b=c:d%e+f g\u00e9\u4e2d|/\n"), "sk",
                        AttributeValue.fromN("12345678901234567890.123456789")),
                key("pk", AttributeValue.fromS("x"), "sk", AttributeValue.fromN("1E+2")),
                key("odd name,=:", AttributeValue.fromN("-0.000100"), null, null),
                key("bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] { 0, -1, 44, 61, 10 })), "s",
                        AttributeValue.fromS("")));
        for (Map<String, AttributeValue> key : keys) {
            ScanPosition position = ScanPosition.after(key);
            ScanPosition read = ScanPosition.parse(position.serialize());
            assertEquals(position, read);
            assertEquals(List.copyOf(key.keySet()), List.copyOf(read.exclusiveStartKey().keySet()), "schema order");
            key.forEach((name, value) -> {
                AttributeValue back = read.exclusiveStartKey().get(name);
                assertEquals(value.type(), back.type());
                if (value.b() != null) {
                    assertArrayEquals(value.b().asByteArray(), back.b().asByteArray());
                } else {
                    assertEquals(value, back, "exactly, digit for digit");
                }
            });
        }
    }

    @Test
    void theFormatIsReadableAndStable() {
        ScanPosition position = ScanPosition.after(key("pk", AttributeValue.fromS("item 7"), "sk",
                AttributeValue.fromN("7")));
        assertEquals("key:pk=S:item+7,sk=N:7", position.serialize());
        assertEquals("pk=S:item+7,sk=N:7", position.keyText());
    }

    @Test
    void theEndAndNoCheckpoint() {
        assertTrue(ScanPosition.parse("END").isEnd());
        assertEquals("END", ScanPosition.end().serialize());
        assertNull(ScanPosition.parse(null));
        assertNull(ScanPosition.parse(""));
    }

    @Test
    void unreadableValuesAreRefused() {
        for (String bad : new String[] { "seq:1", "key:", "key:pk", "key:pk=X:1", "key:pk=N:one", "key:pk=B:***",
                "key:pk=S" }) {
            assertThrows(IllegalArgumentException.class, () -> ScanPosition.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> ScanPosition.after(Map.of("pk", AttributeValue.fromBool(true))));
    }
}
