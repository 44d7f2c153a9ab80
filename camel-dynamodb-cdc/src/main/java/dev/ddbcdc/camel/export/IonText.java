package dev.ddbcdc.camel.export;

import java.util.Set;

/**
 * The pieces of Ion text {@link IonLineParser} decodes itself: quoted text (escapes and UTF-8), base64 of blobs, the
 * names of typed nulls. Strict: whatever is not certainly read as ion-java reads it throws
 * {@link IllegalArgumentException}, and the line is left to ion-java.
 */
final class IonText {

    private static final Set<String> NULL_TYPES = Set.of("null", "bool", "int", "float", "decimal", "timestamp",
            "symbol", "string", "clob", "blob", "list", "sexp", "struct");
    private static final byte[] BASE64 = new byte[128];

    static {
        java.util.Arrays.fill(BASE64, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = (byte) i;
        }
    }

    private IonText() {
    }

    static boolean isNullType(String name) {
        return NULL_TYPES.contains(name);
    }

    private static IllegalArgumentException notNative() {
        return new IllegalArgumentException("not in the Ion subset read natively");
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
                i = utf8(b, i - 1, end, out);
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

    /** One well-formed UTF-8 sequence of two to four bytes at {@code at}; returns the index after it. */
    private static int utf8(byte[] b, int at, int end, StringBuilder out) {
        int c = b[at] & 0xff;
        int length;
        int code;
        int min;
        if (c >= 0xc2 && c <= 0xdf) {
            length = 2;
            code = c & 0x1f;
            min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            length = 3;
            code = c & 0x0f;
            min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            length = 4;
            code = c & 0x07;
            min = 0x10000;
        } else {
            throw notNative();
        }
        if (end - at < length) {
            throw notNative();
        }
        for (int k = 1; k < length; k++) {
            int next = b[at + k] & 0xff;
            if ((next & 0xc0) != 0x80) {
                throw notNative();
            }
            code = code << 6 | next & 0x3f;
        }
        if (code < min || code > Character.MAX_CODE_POINT
            || code >= Character.MIN_SURROGATE && code <= Character.MAX_SURROGATE) {
            throw notNative();
        }
        out.appendCodePoint(code);
        return at + length;
    }

    /**
     * The bytes of canonical base64 text {@code b[from, to)} (padded, no whitespace inside, unused bits zero);
     * anything else is given up.
     */
    static byte[] base64(byte[] b, int from, int to) {
        int length = to - from;
        if (length % 4 != 0) {
            throw notNative();
        }
        if (length == 0) {
            return new byte[0];
        }
        int pad = b[to - 1] == '=' ? b[to - 2] == '=' ? 2 : 1 : 0;
        byte[] out = new byte[length / 4 * 3 - pad];
        int o = 0;
        int quads = length / 4;
        for (int q = 0; q < quads; q++) {
            int at = from + q * 4;
            boolean last = q == quads - 1;
            int v0 = sextet(b[at]);
            int v1 = sextet(b[at + 1]);
            int v2 = last && pad == 2 ? 0 : sextet(b[at + 2]);
            int v3 = last && pad >= 1 ? 0 : sextet(b[at + 3]);
            int bits = v0 << 18 | v1 << 12 | v2 << 6 | v3;
            out[o++] = (byte) (bits >> 16);
            if (last && pad == 2) {
                if ((v1 & 0x0f) != 0) {
                    throw notNative();
                }
                break;
            }
            out[o++] = (byte) (bits >> 8);
            if (last && pad == 1) {
                if ((v2 & 0x03) != 0) {
                    throw notNative();
                }
                break;
            }
            out[o++] = (byte) bits;
        }
        return out;
    }

    private static int sextet(byte c) {
        int v = c < 0 ? -1 : BASE64[c];
        if (v < 0) {
            throw notNative();
        }
        return v;
    }
}
