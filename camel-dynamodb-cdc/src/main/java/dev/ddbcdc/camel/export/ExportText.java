package dev.ddbcdc.camel.export;

/**
 * The text both native line parsers ({@link IonLineParser}, {@link JsonLineParser}) read from UTF-8 bytes the same
 * way: well-formed UTF-8 sequences and canonical base64. Strict: whatever is not certainly read as the reference
 * parsers (ion-java, Jackson with {@link java.util.Base64}) read it throws {@link IllegalArgumentException}, and the
 * line is left to them.
 */
final class ExportText {

    private static final byte[] BASE64 = new byte[128];

    static {
        java.util.Arrays.fill(BASE64, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = (byte) i;
        }
    }

    private ExportText() {
    }

    static IllegalArgumentException notNative() {
        return new IllegalArgumentException("not in the subset read natively");
    }

    /** One well-formed UTF-8 sequence of two to four bytes at {@code at}; returns the index after it. */
    static int utf8(byte[] b, int at, int end, StringBuilder out) {
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
