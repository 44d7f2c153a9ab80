package dev.ddbcdc.camel.export;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the native line parsers ({@link IonLineParser}, {@link JsonLineParser}) share: the line's bytes and the
 * position in them, giving a line up to the reference parser (ion-java, Jackson), which reads it or says what is
 * wrong with it, and the tokens both formats spell alike (spaces and tabs between tokens, a comma or the close after a
 * value). Not thread-safe; one per reader.
 */
abstract class NativeLineParser {

    /** Thrown (without a stack trace) to give a line up to the reference parser. */
    private static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GiveUp() {
            super(null, null, false, false);
        }
    }

    static final RuntimeException GIVE_UP = new GiveUp();

    byte[] b;
    int pos;
    int end;
    final StringBuilder chars = new StringBuilder(64);
    final NameCache names = new NameCache();

    /** The item of the line, or null when the line is to be read by the reference parser. */
    final Map<String, Object> parse(byte[] utf8, int offset, int length) {
        b = utf8;
        pos = offset;
        end = offset + length;
        names.newLine();
        try {
            return line();
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        } finally {
            b = null;
        }
    }

    /** Reads the line from {@link #pos} to {@link #end}; throws {@link #GIVE_UP} (or any exception) to give it up. */
    abstract Map<String, Object> line();

    /** After a value in a container: true after a comma (another value follows), false after the close. */
    final boolean nextOrClose(char close) {
        spaces();
        byte c = peek();
        pos++;
        if (c == ',') {
            spaces();
            if (peek() == close) {
                throw GIVE_UP;
            }
            return true;
        }
        if (c == close) {
            return false;
        }
        throw GIVE_UP;
    }

    final String ascii(int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    final void spaces() {
        while (pos < end && isSpace(b[pos])) {
            pos++;
        }
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }

    final byte peek() {
        if (pos >= end) {
            throw GIVE_UP;
        }
        return b[pos];
    }

    final void expect(char c) {
        if (peek() != c) {
            throw GIVE_UP;
        }
        pos++;
    }
}
