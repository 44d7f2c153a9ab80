package dev.ddbcdc.camel.event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.camel.Message;
import org.apache.camel.util.CaseInsensitiveMap;

/**
 * Puts a fixed set of headers on a message at once. Camel keeps headers in a {@link CaseInsensitiveMap}, a tree
 * ordered by case-insensitive name, and each {@code setHeader} compares the name with several others; the names of
 * this component share the long prefix {@code CamelDynamoDbCdc}, so a dozen {@code setHeader} calls per snapshot item
 * cost about a fifth of the snapshot's CPU. Here the tree is built once with every name, and each message gets a
 * copy of it (a clone, which copies the tree without comparing) with the values filled in name order.
 * <p>
 * The result is the same as calling {@code setHeader} for each name in turn on a message without headers; a message
 * that already has headers, or a context that uses another header map, gets them one by one.
 */
public final class HeaderBlock {

    private final String[] names;
    private final CaseInsensitiveMap template = new CaseInsensitiveMap();
    /** For each position in the tree's order, the position of its name in the order given. */
    private final int[] givenPosition;

    public HeaderBlock(String... names) {
        this.names = names.clone();
        for (String name : names) {
            template.put(name, null);
        }
        if (template.size() != names.length) {
            throw new IllegalArgumentException("Header names must differ (ignoring case): " + Arrays.toString(names));
        }
        List<String> ordered = new ArrayList<>(template.keySet());
        givenPosition = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            givenPosition[ordered.indexOf(names[i])] = i;
        }
    }

    /** Sets the headers; {@code values} are in the order of the names given to the constructor. */
    public void apply(Message message, Object... values) {
        if (values.length != names.length) {
            throw new IllegalArgumentException(names.length + " header values expected, got " + values.length);
        }
        if (message.hasHeaders()) {
            for (int i = 0; i < names.length; i++) {
                message.setHeader(names[i], values[i]);
            }
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) template.clone();
        int position = 0;
        for (Map.Entry<String, Object> header : headers.entrySet()) {
            header.setValue(values[givenPosition[position++]]);
        }
        message.setHeaders(headers);
    }
}
