package dev.ddbcdc.camel.export;

import java.nio.charset.StandardCharsets;

/**
 * The attribute names of one data file's lines as Strings, each made once: the lines of a file mostly hold the same
 * names in the same order, so a name whose bytes were seen lately is the same String object again (no allocation, and
 * its hash code is computed once, not at every {@code put} of every item). First the name that came at the same place
 * in the line before is tried (one comparison, nothing hashed), then a small table of the last names per hash slot; a
 * name in neither is made and takes both places. Only for ASCII names without escapes, whose bytes are their text.
 * Not thread-safe; one per parser.
 */
final class NameCache {

    private static final int SLOTS = 256;
    /** Longer names are made each time: they are rare, and comparing them costs about what making them does. */
    private static final int MAX_LENGTH = 64;
    /** Names beyond this place in a line are only looked up in the table. */
    private static final int MAX_PLACES = 256;

    private final byte[][] slotBytes = new byte[SLOTS][];
    private final String[] slotNames = new String[SLOTS];
    private final byte[][] placeBytes = new byte[MAX_PLACES][];
    private final String[] placeNames = new String[MAX_PLACES];
    private int place;

    /** A new line starts: its first name is compared with the first name of the line before. */
    void newLine() {
        place = 0;
    }

    /** The name whose ASCII bytes are {@code b[from, to)}, the next name of the line. */
    String ascii(byte[] b, int from, int to) {
        int length = to - from;
        int at = place++;
        if (length > MAX_LENGTH) {
            return new String(b, from, length, StandardCharsets.ISO_8859_1);
        }
        if (at < MAX_PLACES && same(placeBytes[at], b, from, length)) {
            return placeNames[at];
        }
        int hash = length;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + b[i];
        }
        int slot = (hash ^ hash >>> 8) & SLOTS - 1;
        String name;
        byte[] bytes = slotBytes[slot];
        if (same(bytes, b, from, length)) {
            name = slotNames[slot];
        } else {
            name = new String(b, from, length, StandardCharsets.ISO_8859_1);
            bytes = java.util.Arrays.copyOfRange(b, from, to);
            slotBytes[slot] = bytes;
            slotNames[slot] = name;
        }
        if (at < MAX_PLACES) {
            placeBytes[at] = bytes;
            placeNames[at] = name;
        }
        return name;
    }

    private static boolean same(byte[] known, byte[] b, int from, int length) {
        if (known == null || known.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (known[i] != b[from + i]) {
                return false;
            }
        }
        return true;
    }
}
