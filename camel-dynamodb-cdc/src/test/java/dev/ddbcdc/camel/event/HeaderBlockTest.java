package dev.ddbcdc.camel.event;

import java.util.ArrayList;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.util.CaseInsensitiveMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderBlockTest {

    private final CamelContext context = started(new DefaultCamelContext());
    private final HeaderBlock block = new HeaderBlock("CamelDynamoDbCdcZeta", "CamelDynamoDbCdcAlpha",
            "CamelDynamoDbCdcMid", "Other");

    @Test
    void givesTheHeadersSetHeaderWouldGiveEachUnderItsOwnName() {
        Message message = new DefaultExchange(context).getMessage();
        block.apply(message, "z", 1L, null, Map.of("k", "v"));
        Message expected = new DefaultExchange(context).getMessage();
        expected.setHeader("CamelDynamoDbCdcZeta", "z");
        expected.setHeader("CamelDynamoDbCdcAlpha", 1L);
        expected.setHeader("CamelDynamoDbCdcMid", null);
        expected.setHeader("Other", Map.of("k", "v"));
        assertEquals(expected.getHeaders(), message.getHeaders());
        assertEquals("z", message.getHeader("camelDYNAMODBcdcZETA"), "still case-insensitive");
        assertEquals(1L, message.getHeader("CamelDynamoDbCdcAlpha"));
        assertNull(message.getHeader("CamelDynamoDbCdcMid"));
        assertInstanceOf(CaseInsensitiveMap.class, message.getHeaders());
    }

    @Test
    void eachMessageGetsItsOwnMap() {
        Message first = new DefaultExchange(context).getMessage();
        Message second = new DefaultExchange(context).getMessage();
        block.apply(first, "a", "b", "c", "d");
        block.apply(second, "e", "f", "g", "h");
        first.setHeader("Added", true);
        assertEquals("a", first.getHeader("CamelDynamoDbCdcZeta"));
        assertEquals("e", second.getHeader("CamelDynamoDbCdcZeta"));
        assertNull(second.getHeader("Added"));
        Message third = new DefaultExchange(context).getMessage();
        block.apply(third, "i", "j", "k", "l");
        assertEquals(4, third.getHeaders().size());
    }

    @Test
    void aMessageWithHeadersKeepsThemAndOursWin() {
        Message message = new DefaultExchange(context).getMessage();
        message.setHeader("Existing", "x");
        message.setHeader("other", "replaced");
        block.apply(message, "a", "b", "c", "d");
        assertEquals(5, message.getHeaders().size());
        assertEquals("d", message.getHeader("Other"));
        assertEquals("x", message.getHeader("Existing"));
    }

    @Test
    void buildsTheSameTreeAsPuttingEachHeader() {
        HeaderBlock many = new HeaderBlock("b", "CamelDynamoDbCdcKeys", "a", "CamelDynamoDbCdcExportLine", "Z", "y",
                "CamelDynamoDbCdcExport", "c");
        Message message = new DefaultExchange(context).getMessage();
        many.apply(message, 1, 2, 3, 4, 5, 6, 7, 8);
        CaseInsensitiveMap expected = new CaseInsensitiveMap();
        String[] names = {"b", "CamelDynamoDbCdcKeys", "a", "CamelDynamoDbCdcExportLine", "Z", "y",
            "CamelDynamoDbCdcExport", "c"};
        for (int i = 0; i < names.length; i++) {
            expected.put(names[i], i + 1);
        }
        CaseInsensitiveMap headers = (CaseInsensitiveMap) message.getHeaders();
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(headers.entrySet()), "same order, values");
        assertEquals(String.CASE_INSENSITIVE_ORDER, headers.comparator());
        for (String name : names) {
            assertEquals(expected.get(name), headers.get(name.toUpperCase()), name);
        }
        headers.put("B", 10);
        headers.remove("CAMELDYNAMODBCDCEXPORT");
        headers.put("d", 11);
        assertEquals(8, headers.size());
        assertEquals(10, headers.get("b"));
        assertEquals("a", headers.firstKey());
        assertEquals("Z", headers.lastKey());
    }

    /** Started, so that messages use the context's header map (case-insensitive), as in a route. */
    private static CamelContext started(CamelContext context) {
        context.start();
        return context;
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void namesMustDifferAndValuesMustMatchThem() {
        assertThrows(IllegalArgumentException.class, () -> new HeaderBlock("A", "b", "a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> block.apply(new DefaultExchange(context).getMessage(), "only one"));
        assertTrue(e.getMessage().contains("4 header values expected"), e.getMessage());
    }
}
