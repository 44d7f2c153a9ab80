package dev.ddbcdc.localaws;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/** Reading HTTP/1.1 off a socket, for the test kit's loopback client and front: lines, chunked and sized bodies. */
final class HttpWire {

    /** Hop-by-hop headers, and those each side of a forwarding hop computes itself. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding",
            "keep-alive", "te", "trailer", "upgrade", "proxy-connection", "proxy-authorization", "proxy-authenticate",
            "expect");

    private static final int MAX_LINE = 64 * 1024;

    private HttpWire() {
    }

    /** One line without its CRLF; the stream must not end before it. */
    static String readLine(InputStream in) throws IOException {
        String line = readLineOrEnd(in);
        if (line == null) {
            throw new EOFException("Connection closed before a line");
        }
        return line;
    }

    /** One line without its CRLF, or null when the stream ends before its first byte (a closed idle connection). */
    static String readLineOrEnd(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.length() == 0) {
                    return null;
                }
                throw new EOFException("Connection closed in the middle of a line");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("Line longer than " + MAX_LINE + " characters");
            }
            line.append((char) b);
        }
    }

    /** A chunked body, trailers dropped. */
    static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("Malformed chunk size: " + sizeLine, e);
            }
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers are dropped
                }
                return body.toByteArray();
            }
            body.write(readFully(in, size));
            if (!readLine(in).isEmpty()) {
                throw new IOException("Chunk not followed by CRLF");
            }
        }
    }

    /** Exactly {@code length} bytes. */
    static byte[] readFully(InputStream in, long length) throws IOException {
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException("Body too large: " + length);
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length != length) {
            throw new EOFException("Body ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }
}
