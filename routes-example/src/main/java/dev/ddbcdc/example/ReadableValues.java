package dev.ddbcdc.example;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * An item (the body of a MAP exchange: plain Java values) as one readable line for logs. Like {@code Map.toString()},
 * except that binary values ({@code B}, and each element of a {@code BS} set), which are {@code byte[]} and would
 * print as {@code [B@6b983acf}, are shown in base64, as the component's JSON outputs and its primary key header
 * render them, behind a {@code base64:} marker so they are not taken for strings: {@code receipt=base64:AQID}.
 * Numbers are shown in plain notation ({@code 1E+2} as {@code 100}).
 */
public final class ReadableValues {

    static final String BINARY_MARKER = "base64:";

    /** The value as one line: maps as {@code {name=value, ...}}, lists and sets as {@code [a, b]}. */
    public static String format(Object value) {
        StringBuilder line = new StringBuilder();
        append(line, value);
        return line.toString();
    }

    private static void append(StringBuilder line, Object value) {
        if (value instanceof byte[] bytes) {
            line.append(BINARY_MARKER).append(Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof BigDecimal number) {
            line.append(number.toPlainString());
        } else if (value instanceof Map<?, ?> map) {
            line.append('{');
            Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<?, ?> entry = entries.next();
                line.append(entry.getKey()).append('=');
                append(line, entry.getValue());
                if (entries.hasNext()) {
                    line.append(", ");
                }
            }
            line.append('}');
        } else if (value instanceof Collection<?> elements) {
            line.append('[');
            Iterator<?> each = elements.iterator();
            while (each.hasNext()) {
                append(line, each.next());
                if (each.hasNext()) {
                    line.append(", ");
                }
            }
            line.append(']');
        } else {
            line.append(value);
        }
    }

    private ReadableValues() {
    }
}
