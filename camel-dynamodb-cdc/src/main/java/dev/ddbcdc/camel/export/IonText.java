package dev.ddbcdc.camel.export;

import java.util.Set;

/**
 * The pieces of Ion text {@link IonLineParser} decodes itself: quoted text (Ion's escapes; UTF-8 and base64 are
 * {@link ExportText}'s), the names of typed nulls. Strict: whatever is not certainly read as ion-java reads it throws
 * {@link IllegalArgumentException}, and the line is left to ion-java.
 */
final class IonText {

    private static final Set<String> NULL_TYPES = Set.of("null", "bool", "int", "float", "decimal", "timestamp",
            "symbol", "string", "clob", "blob", "list", "sexp", "struct");

    private IonText() {
    }

    static boolean isNullType(String name) {
        return NULL_TYPES.contains(name);
    }

    private static IllegalArgumentException notNative() {
        return ExportText.notNative();
    }

    /**
     * Decodes quoted text from {@code from} (after the opening quote) into {@code out}; returns the index after the
     * closing quote. Gives up on raw control characters (ion-java's writer escapes them), surrogate escapes but a
     * high one followed by a low one, and UTF-8 that is not well-formed.
     */
    static int decode(byte[] b, int from, int end, char quote, StringBuilder out) {
        int i = from;
        while (i < end) {
            int c = b[i++];
            if (c == quote) {
                return i;
            }
            if (c == '\\') {
                if (i >= end) {
                    throw notNative();
                }
                int e = b[i++];
                switch (e) {
                    case 'a' -> out.append('\u0007');
                    case 'b' -> out.append('\b');
                    case 't' -> out.append('\t');
                    case 'n' -> out.append('\n');
                    case 'f' -> out.append('\f');
                    case 'r' -> out.append('\r');
                    case 'v' -> out.append('\u000B');
                    case '0' -> out.append('\0');
                    case '?', '\'', '"', '/', '\\' -> out.append((char) e);
                    case 'x', 'u', 'U' -> {
                        int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                        if (end - i < digits) {
                            throw notNative();
                        }
                        int code = hex(b, i, digits);
                        i += digits;
                        if (Character.isHighSurrogate((char) code) && e == 'u' && end - i >= 6 && b[i] == '\\'
                            && b[i + 1] == 'u') {
                            int low = hex(b, i + 2, 4);
                            if (!Character.isLowSurrogate((char) low)) {
                                throw notNative();
                            }
                            out.append((char) code).append((char) low);
                            i += 6;
                            continue;
                        }
                        if (code < 0 || code > Character.MAX_CODE_POINT
                            || code >= Character.MIN_SURROGATE && code <= Character.MAX_SURROGATE) {
                            throw notNative();
                        }
                        out.appendCodePoint(code);
                    }
                    default -> throw notNative();
                }
            } else if (c >= 0) {
                if (c < 0x20 || c == 0x7f) {
                    throw notNative();
                }
                out.append((char) c);
            } else {
                i = ExportText.utf8(b, i - 1, end, out);
            }
        }
        throw notNative();
    }

    private static int hex(byte[] b, int from, int digits) {
        int code = 0;
        for (int k = from; k < from + digits; k++) {
            int d = Character.digit(b[k], 16);
            if (d < 0) {
                throw notNative();
            }
            code = code << 4 | d;
        }
        return code;
    }

}
