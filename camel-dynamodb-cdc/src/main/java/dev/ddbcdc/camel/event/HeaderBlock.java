package dev.ddbcdc.camel.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;

import org.apache.camel.Message;
import org.apache.camel.util.CaseInsensitiveMap;

/**
 * Puts a fixed set of headers on a message at once. Camel keeps headers in a {@link CaseInsensitiveMap}, a tree
 * ordered by case-insensitive name, and each {@code setHeader} compares the name with several others; the names of
 * this component share the long prefix {@code CamelDynamoDbCdc}, so a dozen {@code setHeader} calls per snapshot item
 * cost about a fifth of the snapshot's CPU. Here the names are sorted once, and each message gets a new map built
 * from a sorted view of the names with their values: a {@code TreeMap} given an empty map and a {@link SortedMap} of
 * the same order builds its tree in one pass without comparing (twice cheaper than cloning a template tree and
 * setting its values, which walks the tree twice). Were that shortcut gone, {@code putAll} would put the headers one
 * by one: slower, the same map.
 * <p>
 * The result is the same as calling {@code setHeader} for each name in turn on a message without headers; a message
 * that already has headers, or a context that uses another header map, gets them one by one.
 */
public final class HeaderBlock {

    private final String[] names;
    /** The names in the tree's (case-insensitive) order. */
    private final String[] sortedNames;
    /** For each position in the tree's order, the position of its name in the order given. */
    private final int[] givenPosition;

    public HeaderBlock(String... names) {
        this.names = names.clone();
        CaseInsensitiveMap template = new CaseInsensitiveMap();
        for (String name : names) {
            template.put(name, null);
        }
        if (template.size() != names.length) {
            throw new IllegalArgumentException("Header names must differ (ignoring case): " + Arrays.toString(names));
        }
        List<String> ordered = new ArrayList<>(template.keySet());
        sortedNames = ordered.toArray(new String[0]);
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
        message.setHeaders(new CaseInsensitiveMap(new Sorted(values)));
    }

    /**
     * The names with their values, in the tree's order: read once, by the new map's {@code putAll}, through one
     * iterator that is also its own entry (only the map's constructor sees it).
     */
    private final class Sorted extends AbstractMap<String, Object> implements SortedMap<String, Object> {

        private final Object[] values;

        Sorted(Object[] values) {
            this.values = values;
        }

        @Override
        public Comparator<? super String> comparator() {
            return String.CASE_INSENSITIVE_ORDER;
        }

        @Override
        public int size() {
            return sortedNames.length;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Cursor(values);
                }

                @Override
                public int size() {
                    return sortedNames.length;
                }
            };
        }

        @Override
        public SortedMap<String, Object> subMap(String fromKey, String toKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedMap<String, Object> headMap(String toKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedMap<String, Object> tailMap(String fromKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String firstKey() {
            return sortedNames[0];
        }

        @Override
        public String lastKey() {
            return sortedNames[sortedNames.length - 1];
        }
    }

    /** Walks the names in order; the entry returned by {@link #next()} is the cursor itself, valid until the next. */
    private final class Cursor implements Iterator<Map.Entry<String, Object>>, Map.Entry<String, Object> {

        private final Object[] values;
        private int position = -1;

        Cursor(Object[] values) {
            this.values = values;
        }

        @Override
        public boolean hasNext() {
            return position + 1 < sortedNames.length;
        }

        @Override
        public Map.Entry<String, Object> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            position++;
            return this;
        }

        @Override
        public String getKey() {
            return sortedNames[position];
        }

        @Override
        public Object getValue() {
            return values[givenPosition[position]];
        }

        @Override
        public Object setValue(Object value) {
            throw new UnsupportedOperationException();
        }
    }
}
