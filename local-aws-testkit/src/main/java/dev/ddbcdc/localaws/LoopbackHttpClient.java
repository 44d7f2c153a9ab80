package dev.ddbcdc.localaws;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 client for one server on loopback (DynamoDB Local), made for forwarding: it sends a request's
 * bytes as they are and returns the answer's status, headers and body as they are. Connections are kept alive and
 * pooled, with TCP_NODELAY, and each request goes out in one write. About half the per-request cost of
 * {@code java.net.http.HttpClient}, which matters when the front carries every DynamoDB and Streams call of a
 * benchmark.
 *
 * <p>Handles what an HTTP/1.1 server may answer: {@code Content-Length} or chunked bodies, bodies ending with the
 * connection, {@code Connection: close}, interim 1xx answers. A request that fails on a reused connection before any
 * answer arrives (the server closed the idle connection) is sent again once on a new connection.
 */
final class LoopbackHttpClient implements Closeable {

    /** An answer: status, header lines in order (names as sent), body. */
    record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    }

    private static final int MAX_IDLE_CONNECTIONS = 64;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 120_000;

    private final String host;
    private final int port;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private volatile boolean closed;

    LoopbackHttpClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * Sends {@code method target} with the given headers (without Content-Length, which is set from the body) and
     * body, and reads the whole answer.
     */
    Response send(String method, String target, List<Map.Entry<String, String>> headers, byte[] body)
            throws IOException {
        byte[] head = requestHead(method, target, headers, body.length);
        boolean expectsBody = !"HEAD".equalsIgnoreCase(method);
        Connection connection = idle.pollFirst();
        if (connection != null) {
            idleCount.decrementAndGet();
            try {
                return exchange(connection, head, body, expectsBody);
            } catch (StaleConnectionException stale) {
                connection.close();
            }
        }
        connection = open();
        try {
            return exchange(connection, head, body, expectsBody);
        } catch (StaleConnectionException e) {
            throw e.cause;
        }
    }

    private Response exchange(Connection connection, byte[] head, byte[] body, boolean expectsBody)
            throws IOException {
        try {
            try {
                connection.out.write(head);
                connection.out.write(body);
                connection.out.flush();
                connection.in.mark(1);
                if (connection.in.read() < 0) {
                    throw new EOFException("Connection closed before an answer");
                }
                connection.in.reset();
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw new StaleConnectionException(e);
            }
            Response response = readResponse(connection, expectsBody);
            release(connection);
            return response;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void release(Connection connection) {
        if (connection.reusable && !closed) {
            if (idleCount.incrementAndGet() <= MAX_IDLE_CONNECTIONS) {
                idle.addFirst(connection);
                return;
            }
            idleCount.decrementAndGet();
        }
        connection.close();
    }

    private Response readResponse(Connection connection, boolean expectsBody) throws IOException {
        InputStream in = connection.in;
        while (true) {
            String statusLine = HttpWire.readLine(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("Not an HTTP status line: " + statusLine);
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("Not an HTTP status line: " + statusLine, e);
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            long contentLength = -1;
            boolean chunked = false;
            boolean keepAlive = !parts[0].equals("HTTP/1.0");
            for (String line = HttpWire.readLine(in); !line.isEmpty(); line = HttpWire.readLine(in)) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("Malformed header line: " + line);
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                headers.add(Map.entry(name, value));
                switch (name.toLowerCase(Locale.ROOT)) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> {
                        String v = value.toLowerCase(Locale.ROOT);
                        if (v.contains("close")) {
                            keepAlive = false;
                        } else if (v.contains("keep-alive")) {
                            keepAlive = true;
                        }
                    }
                    default -> {
                        // passed on as is
                    }
                }
            }
            if (status >= 100 && status < 200 && status != 101) {
                continue; // interim answer; the final one follows
            }
            byte[] body;
            if (!expectsBody || status == 204 || status == 304 || (status >= 100 && status < 200)) {
                body = new byte[0];
            } else if (chunked) {
                body = HttpWire.readChunked(in);
            } else if (contentLength >= 0) {
                body = HttpWire.readFully(in, contentLength);
            } else {
                body = in.readAllBytes();
                keepAlive = false;
            }
            connection.reusable = keepAlive;
            return new Response(status, headers, body);
        }
    }

    private byte[] requestHead(String method, String target, List<Map.Entry<String, String>> headers,
            int contentLength) {
        StringBuilder head = new StringBuilder(512);
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        boolean hasHost = false;
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey();
            if (name.equalsIgnoreCase("content-length")) {
                continue;
            }
            hasHost |= name.equalsIgnoreCase("host");
            head.append(name).append(": ").append(header.getValue()).append("\r\n");
        }
        if (!hasHost) {
            head.append("Host: ").append(host).append(':').append(port).append("\r\n");
        }
        if (contentLength > 0 || !method.equalsIgnoreCase("GET") && !method.equalsIgnoreCase("HEAD")) {
            head.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private Connection open() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new Connection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Connection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
            connection.close();
        }
    }

    private static final class Connection {
        final Socket socket;
        final BufferedInputStream in;
        final OutputStream out;
        boolean reusable;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** A failure before any byte of the answer: the request may be sent again on a new connection. */
    private static final class StaleConnectionException extends IOException {
        private static final long serialVersionUID = 1L;
        final IOException cause;

        StaleConnectionException(IOException cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
