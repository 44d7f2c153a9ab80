package dev.ddbcdc.camel.export;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Reads one line of a DYNAMODB_JSON export, {@code {"Item":{"name":{"S":"x"},...}}}, straight from its UTF-8 bytes,
 * for the JSON that exports are written in: the one field {@code Item}, typed values of every type, strings with
 * every JSON escape and well-formed UTF-8, numbers and base64 as exports spell them, spaces and tabs between tokens.
 * The values are those {@link DynamoDbJsonItemParser} (Jackson) gives for the same line, with the same types: numbers
 * exact ({@link BigDecimal} of the decimal string), sets as {@link LinkedHashSet}, maps as {@link LinkedHashMap}.
 * <p>
 * It never decides that a line is bad: for anything else (other top-level fields, escaped type names, non-canonical
 * base64, UTF-8 that is not well-formed, deep nesting, a line that is not one item, JSON that is not valid, ...) it
 * returns null, and the line is left to Jackson, which reads it or says what is wrong with it. Not thread-safe; one
 * per reader.
 */
final class JsonLineParser extends NativeLineParser {

    /** Jackson reads deeper nesting too (up to its limit); DynamoDB allows 32 levels, so deeper lines are left to it. */
    private static final int MAX_DEPTH = 64;
    /** Jackson limits names (50,000 characters by default); longer names, in bytes, are left to it. */
    private static final int MAX_NAME_BYTES = 40_000;

    @Override
    Map<String, Object> line() {
        spaces();
        expect('{');
        spaces();
        Map<String, Object> item;
        do {
            expect('"');
            if (end - pos < 5 || b[pos] != 'I' || b[pos + 1] != 't' || b[pos + 2] != 'e' || b[pos + 3] != 'm'
                || b[pos + 4] != '"') {
                throw GIVE_UP;
            }
            pos += 5;
            colon();
            expect('{');
            item = attributes(1);
        } while (nextOrClose('}'));
        spaces();
        if (pos != end) {
            throw GIVE_UP;
        }
        return item;
    }

    /** The attributes of a map after its {@code {}, up to and past the {@code }}}. */
    private Map<String, Object> attributes(int depth) {
        if (depth > MAX_DEPTH) {
            throw GIVE_UP;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        spaces();
        if (peek() == '}') {
            pos++;
            return map;
        }
        do {
            expect('"');
            String name = name();
            colon();
            expect('{');
            map.put(name, value(depth));
        } while (nextOrClose('}'));
        return map;
    }

    /** A typed value after its {@code {}, {@code "S":"x"}, up to and past its {@code }}}. */
    private Object value(int depth) {
        spaces();
        expect('"');
        int type = pos;
        int length = 0;
        while (type + length < end && b[type + length] >= 'A' && b[type + length] <= 'Z') {
            length++;
        }
        pos = type + length;
        expect('"');
        colon();
        byte first = length > 0 ? b[type] : 0;
        Object value;
        if (length == 1) {
            value = switch (first) {
                case 'S', 'N', 'B' -> {
                    expect('"');
                    yield scalar(first);
                }
                case 'M' -> map(depth);
                case 'L' -> list(depth);
                default -> throw GIVE_UP;
            };
        } else if (length == 2 && b[type + 1] == 'S' && (first == 'S' || first == 'N' || first == 'B')) {
            expect('[');
            value = elements(new LinkedHashSet<>(), first);
        } else if (length == 4 && first == 'B' && b[type + 1] == 'O' && b[type + 2] == 'O' && b[type + 3] == 'L') {
            value = literal();
        } else if (length == 4 && first == 'N' && b[type + 1] == 'U' && b[type + 2] == 'L' && b[type + 3] == 'L') {
            if (literal() != Boolean.TRUE) {
                throw GIVE_UP;
            }
            value = null;
        } else {
            throw GIVE_UP;
        }
        spaces();
        expect('}');
        return value;
    }

    /** The content of an S, N or B value (or set element) after its opening quote, past the closing one. */
    private Object scalar(byte type) {
        return type == 'S' ? string() : type == 'N' ? number() : binary();
    }

    private Map<String, Object> map(int depth) {
        expect('{');
        return attributes(depth + 1);
    }

    private List<Object> list(int depth) {
        expect('[');
        if (depth + 1 > MAX_DEPTH) {
            throw GIVE_UP;
        }
        List<Object> list = new ArrayList<>();
        spaces();
        if (peek() == ']') {
            pos++;
            return list;
        }
        do {
            expect('{');
            list.add(value(depth + 1));
        } while (nextOrClose(']'));
        return list;
    }

    /** The strings of a set after its {@code [}, up to and past the {@code ]}. */
    private Collection<Object> elements(Collection<Object> values, byte type) {
        spaces();
        if (peek() == ']') {
            pos++;
            return values;
        }
        do {
            expect('"');
            values.add(scalar(type));
        } while (nextOrClose(']'));
        return values;
    }

    /** {@code true} or {@code false}, ended by a delimiter. */
    private Boolean literal() {
        Boolean value;
        if (end - pos >= 4 && b[pos] == 't' && b[pos + 1] == 'r' && b[pos + 2] == 'u' && b[pos + 3] == 'e') {
            pos += 4;
            value = Boolean.TRUE;
        } else if (end - pos >= 5 && b[pos] == 'f' && b[pos + 1] == 'a' && b[pos + 2] == 'l' && b[pos + 3] == 's'
                   && b[pos + 4] == 'e') {
            pos += 5;
            value = Boolean.FALSE;
        } else {
            throw GIVE_UP;
        }
        if (pos < end && !(isSpace(b[pos]) || b[pos] == '}')) {
            throw GIVE_UP;
        }
        return value;
    }

    /** An attribute name after its opening quote, up to and past the closing one. */
    private String name() {
        int limit = Math.min(end, pos + MAX_NAME_BYTES);
        for (int i = pos; i < limit; i++) {
            byte c = b[i];
            if (c == '"') {
                String name = names.ascii(b, pos, i);
                pos = i + 1;
                return name;
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
        }
        int start = pos;
        chars.setLength(0);
        pos = decode(pos, true);
        String name = chars.toString();
        if (pos - start > MAX_NAME_BYTES) {
            throw GIVE_UP;
        }
        return name;
    }

    /** A string after its opening quote, up to and past the closing one. */
    private String string() {
        for (int i = pos; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                String s = ascii(pos, i);
                pos = i + 1;
                return s;
            }
            if (c == '\\' || c < 0x20) { // an escape, a control character, or a byte of a multi-byte sequence
                break;
            }
        }
        chars.setLength(0);
        pos = decode(pos, false);
        return chars.toString();
    }

    /**
     * Decodes a string with escapes or UTF-8 from {@code from} into {@link #chars}; returns the index past its quote.
     * In a {@code name}, surrogate escapes must pair up, as Jackson checks there (not in values).
     */
    private int decode(int from, boolean name) {
        int i = from;
        while (i < end) {
            int c = b[i++];
            if (c == '"') {
                return i;
            }
            if (c == '\\') {
                if (i >= end) {
                    throw GIVE_UP;
                }
                int e = b[i++];
                switch (e) {
                    case '"', '\\', '/' -> chars.append((char) e);
                    case 'b' -> chars.append('\b');
                    case 'f' -> chars.append('\f');
                    case 'n' -> chars.append('\n');
                    case 'r' -> chars.append('\r');
                    case 't' -> chars.append('\t');
                    case 'u' -> {
                        char code = hex4(i);
                        i += 4;
                        if (name && Character.isSurrogate(code)) {
                            // in a name Jackson reads a high surrogate escape only with a low one's after it
                            if (!Character.isHighSurrogate(code) || end - i < 6 || b[i] != '\\' || b[i + 1] != 'u'
                                || !Character.isLowSurrogate(hex4(i + 2))) {
                                throw GIVE_UP;
                            }
                            chars.append(code);
                            code = hex4(i + 2);
                            i += 6;
                        }
                        chars.append(code); // in a value, as Jackson: a lone surrogate escape is taken as it is
                    }
                    default -> throw GIVE_UP;
                }
            } else if (c >= 0x20) {
                chars.append((char) c);
            } else if (c >= 0) {
                throw GIVE_UP;
            } else {
                i = ExportText.utf8(b, i - 1, end, chars);
            }
        }
        throw GIVE_UP;
    }

    /** The character of the four hex digits at {@code at}. */
    private char hex4(int at) {
        if (end - at < 4) {
            throw GIVE_UP;
        }
        int code = 0;
        for (int k = at; k < at + 4; k++) {
            int digit = Character.digit(b[k], 16);
            if (digit < 0) {
                throw GIVE_UP;
            }
            code = code << 4 | digit;
        }
        return (char) code;
    }

    /** The closing quote of plain ASCII text from {@code pos} (no escapes, no control characters). */
    private int plainEnd() {
        for (int i = pos; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
        }
        throw GIVE_UP;
    }

    /** A number's decimal string after its opening quote, past the closing one, as Jackson's parser takes it. */
    private BigDecimal number() {
        int close = plainEnd();
        int i = pos;
        boolean negative = b[i] == '-';
        if (negative || b[i] == '+') {
            i++;
        }
        long unscaled = 0;
        int digits = 0;
        int scale = 0;
        boolean point = false;
        for (; i < close; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                unscaled = unscaled * 10 + (c - '0');
                digits++;
                scale += point ? 1 : 0;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        BigDecimal number = i == close && digits > 0 && digits <= 18
                ? BigDecimal.valueOf(negative ? -unscaled : unscaled, scale)
                : new BigDecimal(ascii(pos, close));
        pos = close + 1;
        return number;
    }

    /** Base64 after its opening quote, past the closing one; canonical base64 only. */
    private byte[] binary() {
        int close = plainEnd();
        byte[] bytes = ExportText.base64(b, pos, close);
        pos = close + 1;
        return bytes;
    }

    private void colon() {
        spaces();
        expect(':');
        spaces();
    }
}
