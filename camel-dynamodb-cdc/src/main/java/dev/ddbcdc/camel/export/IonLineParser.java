package dev.ddbcdc.camel.export;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Reads one line of an ION export, {@code $ion_1_0 {Item:{...}}}, straight from its UTF-8 bytes, for the part of Ion
 * text that exports are written in: structs with plain, {@code 'quoted'} or {@code "string"} field names, lists,
 * {@code "strings"} with every Ion escape, decimals and ints ({@code 103.}, {@code 6d2}, {@code -1.5d-3}, {@code 7}),
 * blobs {@code {{base64}}}, {@code true}/{@code false}, {@code null} and typed nulls, lists annotated
 * {@code $dynamodb_SS}, {@code $dynamodb_NS}, {@code $dynamodb_BS} as sets, and a leading {@code $ion_1_0}; spaces and
 * tabs between tokens. The values are those {@link IonItemParser} gives for the same line.
 * <p>
 * It never decides that a line is bad: for anything else (comments, floats, symbols as values, long strings, clobs,
 * other annotations, symbol ids, timestamps, a line that is not one item, Ion that is not valid, ...) it returns null,
 * and the line is left to ion-java, which reads it or says what is wrong with it. Not thread-safe; one per reader.
 */
final class IonLineParser extends NativeLineParser {

    /** ion-java reads deeper nesting too; DynamoDB allows 32 levels, so deeper lines are simply left to it. */
    private static final int MAX_DEPTH = 64;
    private static final int STRING_SET = 1;
    private static final int NUMBER_SET = 2;
    private static final int BINARY_SET = 3;
    private static final byte[] IVM = "$ion_1_0".getBytes(StandardCharsets.US_ASCII);

    @Override
    Map<String, Object> line() {
        spaces();
        if (startsWith(IVM) && pos + IVM.length < end && isSpace(b[pos + IVM.length])) {
            pos += IVM.length;
            spaces();
        }
        expect('{');
        Map<String, Object> item = null;
        spaces();
        if (peek() == '}') {
            throw GIVE_UP;
        }
        while (true) {
            String field = fieldName();
            if ("Item".equals(field)) {
                expect('{');
                item = struct(1);
            } else if ("Keys".equals(field) || "NewImage".equals(field) || "OldImage".equals(field)) {
                throw GIVE_UP;
            } else {
                value(1);
            }
            if (!nextOrClose('}')) {
                break;
            }
        }
        spaces();
        if (pos != end || item == null) {
            throw GIVE_UP;
        }
        return item;
    }

    /** The field name and its colon, the value after it reached. */
    private String fieldName() {
        byte c = peek();
        String name;
        if (c == '"') {
            pos++;
            name = string('"', true);
        } else if (c == '\'') {
            if (pos + 1 < end && b[pos + 1] == '\'') {
                if (pos + 2 < end && b[pos + 2] == '\'') {
                    throw GIVE_UP;
                }
                pos += 2;
                name = "";
            } else {
                pos++;
                name = string('\'', true);
            }
        } else {
            int start = pos;
            identifier();
            int length = pos - start;
            if (c == '$' && symbolId(start) || length == 4 && (is(start, "null") || is(start, "true"))
                || length == 5 && is(start, "false") || length == 3 && is(start, "nan")) {
                throw GIVE_UP;
            }
            name = names.ascii(b, start, pos);
        }
        spaces();
        expect(':');
        spaces();
        return name;
    }

    private Map<String, Object> struct(int depth) {
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
            String name = fieldName();
            map.put(name, value(depth));
        } while (nextOrClose('}'));
        return map;
    }

    private Object value(int depth) {
        byte c = peek();
        if (c == '"') {
            pos++;
            return string('"', false);
        }
        if (c == '-' || c >= '0' && c <= '9') {
            return number();
        }
        if (c == '{') {
            pos++;
            if (peek() == '{') {
                pos++;
                return blob();
            }
            return struct(depth + 1);
        }
        if (c == '[') {
            pos++;
            return elements(new ArrayList<>(), 0, depth + 1);
        }
        int start = pos;
        identifier();
        int length = pos - start;
        if (length == 4 && is(start, "true")) {
            delimited();
            return Boolean.TRUE;
        }
        if (length == 5 && is(start, "false")) {
            delimited();
            return Boolean.FALSE;
        }
        if (length == 4 && is(start, "null")) {
            if (pos < end && b[pos] == '.') {
                pos++;
                int type = pos;
                identifier();
                if (!IonText.isNullType(ascii(type, pos))) {
                    throw GIVE_UP;
                }
            }
            delimited();
            return null;
        }
        if (length == 12 && is(start, "$dynamodb_") && b[start + 11] == 'S') {
            byte kind = b[start + 10];
            int set = kind == 'S' ? STRING_SET : kind == 'N' ? NUMBER_SET : kind == 'B' ? BINARY_SET : 0;
            if (set == 0) {
                throw GIVE_UP;
            }
            spaces();
            expect(':');
            expect(':');
            spaces();
            expect('[');
            return elements(new LinkedHashSet<>(), set, depth + 1);
        }
        throw GIVE_UP;
    }

    /** The values of a list or set after its {@code [}, up to and past the {@code ]}. */
    private <C extends Collection<Object>> C elements(C values, int set, int depth) {
        if (depth > MAX_DEPTH) {
            throw GIVE_UP;
        }
        spaces();
        if (peek() == ']') {
            pos++;
            return values;
        }
        do {
            byte c = peek();
            if (set == STRING_SET && c != '"' || set == NUMBER_SET && c != '-' && (c < '0' || c > '9')
                || set == BINARY_SET && (c != '{' || pos + 1 >= end || b[pos + 1] != '{')) {
                throw GIVE_UP;
            }
            values.add(value(depth));
        } while (nextOrClose(']'));
        return values;
    }

    /** A string or quoted symbol (a field name: {@code name}) after its opening quote, up to and past the closing one. */
    private String string(char quote, boolean name) {
        for (int i = pos; i < end; i++) {
            byte c = b[i];
            if (c == quote) {
                String s = name ? names.ascii(b, pos, i) : ascii(pos, i);
                pos = i + 1;
                return s;
            }
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                break;
            }
        }
        chars.setLength(0);
        pos = IonText.decode(b, pos, end, quote, chars);
        return chars.toString();
    }

    /** An Ion int or decimal; anything else that starts with a digit or minus (floats, timestamps, ...) is given up. */
    private BigDecimal number() {
        int start = pos;
        boolean negative = b[pos] == '-';
        if (negative) {
            pos++;
        }
        int digitsStart = pos;
        int intDigits = digits();
        if (intDigits == 0 || intDigits > 1 && b[digitsStart] == '0') {
            throw GIVE_UP;
        }
        int fractionStart = -1;
        int fractionDigits = 0;
        if (pos < end && b[pos] == '.') {
            pos++;
            fractionStart = pos;
            fractionDigits = digits();
        }
        int exponent = 0;
        if (pos < end && (b[pos] == 'd' || b[pos] == 'D')) {
            pos++;
            boolean minus = pos < end && b[pos] == '-';
            if (pos < end && (b[pos] == '-' || b[pos] == '+')) {
                pos++;
            }
            int expStart = pos;
            int expDigits = digits();
            if (expDigits == 0 || expDigits > 4) {
                throw GIVE_UP;
            }
            exponent = Integer.parseInt(ascii(expStart, pos));
            if (minus) {
                exponent = -exponent;
            }
        }
        delimited();
        int scale = fractionDigits - exponent;
        if (intDigits + fractionDigits <= 18) {
            long unscaled = 0;
            for (int i = digitsStart; i < digitsStart + intDigits; i++) {
                unscaled = unscaled * 10 + (b[i] - '0');
            }
            for (int i = fractionStart; i < fractionStart + fractionDigits; i++) {
                unscaled = unscaled * 10 + (b[i] - '0');
            }
            return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
        }
        StringBuilder all = new StringBuilder(intDigits + fractionDigits + 1);
        if (negative) {
            all.append('-');
        }
        all.append(ascii(digitsStart, digitsStart + intDigits));
        if (fractionDigits > 0) {
            all.append(ascii(fractionStart, fractionStart + fractionDigits));
        }
        return new BigDecimal(new BigInteger(all.toString()), scale);
    }

    private int digits() {
        int start = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        return pos - start;
    }

    /** A blob after its {@code {{}, up to and past the {@code }}}. */
    private byte[] blob() {
        spaces();
        int start = pos;
        int close = pos;
        while (close < end && b[close] != '}') {
            close++;
        }
        int last = close;
        while (last > start && isSpace(b[last - 1])) {
            last--;
        }
        if (close + 1 >= end || b[close + 1] != '}') {
            throw GIVE_UP;
        }
        byte[] bytes = ExportText.base64(b, start, last);
        pos = close + 2;
        return bytes;
    }

    /** After a number or keyword: the token must end here, or it is something else (a float, a timestamp, ...). */
    private void delimited() {
        if (pos < end) {
            byte c = b[pos];
            if (!(isSpace(c) || c == ',' || c == ']' || c == '}')) {
                throw GIVE_UP;
            }
        }
    }

    private void identifier() {
        int start = pos;
        while (pos < end) {
            byte c = b[pos];
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$' || c >= '0' && c <= '9' && pos > start) {
                pos++;
            } else {
                break;
            }
        }
        if (pos == start) {
            throw GIVE_UP;
        }
    }

    /** Whether the identifier from {@code start} is {@code $} and digits, a symbol id: its text is in a symbol table. */
    private boolean symbolId(int start) {
        for (int i = start + 1; i < pos; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return pos > start + 1;
    }

    private boolean is(int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (b[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWith(byte[] prefix) {
        if (end - pos < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[pos + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
