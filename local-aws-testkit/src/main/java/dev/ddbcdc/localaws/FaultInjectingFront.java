package dev.ddbcdc.localaws;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * An HTTP/1.1 front on loopback between code under test and one local AWS endpoint (the DynamoDB / Streams / export
 * endpoint of {@link LocalAws}, or its S3): it forwards each request unchanged, except when one of its
 * {@link FaultRule}s fires, and then injects that {@link Fault} the way AWS would show it: a modeled error answer
 * ({@code ProvisionedThroughputExceededException}, {@code ThrottlingException}, S3 {@code SlowDown}, 500, 503,
 * {@code ExpiredIteratorException}), a delay, or a connection reset (TCP RST, no answer).
 *
 * <p>Decisions are reproducible: rate rules draw from a {@link Random} seeded at start, under one lock, so the same
 * sequence of requests gets the same faults. Every rule counts every request it matches (for
 * {@link FaultRule#onRequests}) and draws for it; when several fire, the first added wins. Each injected fault is
 * counted by kind ({@link #injected(Fault)}) and logged at DEBUG by this class's logger.
 *
 * <p>A raw socket server rather than the JDK's HttpServer, because a reset needs control of the socket
 * (SO_LINGER 0, then close). Connections are kept alive; request bodies with Content-Length or chunked encoding and
 * {@code Expect: 100-continue} are handled.
 */
public final class FaultInjectingFront implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(FaultInjectingFront.class);

    private final URI target;
    private final ServerSocket server;
    private final LoopbackHttpClient upstream;
    private final ExecutorService connections;
    private final Random random;
    private final List<ActiveRule> rules = new CopyOnWriteArrayList<>();
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private final AtomicLong requests = new AtomicLong();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private FaultInjectingFront(URI target, long seed) throws IOException {
        this.target = target;
        this.random = new Random(seed);
        for (Fault fault : Fault.values()) {
            injected.put(fault, new AtomicLong());
        }
        this.upstream = new LoopbackHttpClient(target.getHost(), target.getPort());
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        AtomicInteger threads = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fault-front-" + server.getLocalPort() + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        connections.execute(this::acceptLoop);
    }

    /** A front on a free loopback port forwarding to {@code target} ({@code http://host:port}). */
    public static FaultInjectingFront start(URI target, long seed) {
        try {
            return new FaultInjectingFront(target, seed);
        } catch (IOException e) {
            throw new IllegalStateException("Could not open a loopback port for the fault-injecting front", e);
        }
    }

    /** This front's endpoint, {@code http://127.0.0.1:port}; point the client under test here. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Where requests are forwarded. */
    public URI target() {
        return target;
    }

    /** Adds a rule after the existing ones. */
    public FaultInjectingFront add(FaultRule rule) {
        rules.add(new ActiveRule(rule));
        return this;
    }

    /** Removes every rule: requests are forwarded unchanged from now on. Counters are kept. */
    public FaultInjectingFront clearRules() {
        rules.clear();
        return this;
    }

    /** How many times {@code fault} was injected since start. */
    public long injected(Fault fault) {
        return injected.get(fault).get();
    }

    /** Faults injected since start, by kind (kinds never injected included, with 0). */
    public Map<Fault, Long> injectedByKind() {
        Map<Fault, Long> counts = new EnumMap<>(Fault.class);
        injected.forEach((fault, count) -> counts.put(fault, count.get()));
        return counts;
    }

    /** Faults injected since start, all kinds. */
    public long injectedTotal() {
        return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Requests received since start, with or without a fault. */
    public long requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("Fault-injecting front on port {} stopped accepting: {}", server.getLocalPort(),
                            e.toString());
                }
                return;
            }
            open.add(socket);
            try {
                connections.execute(() -> serve(socket));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            while (!closed) {
                Request request = readRequest(in, out);
                if (request == null) {
                    return;
                }
                requests.incrementAndGet();
                FaultRule rule = decide(request.front);
                if (rule != null) {
                    injected.get(rule.fault()).incrementAndGet();
                    LOG.debug("Injecting {} into {} (front {})", rule.fault(), request.front, endpoint());
                    if (rule.fault() == Fault.CONNECTION_RESET) {
                        socket.setSoLinger(true, 0);
                        return; // closing with linger 0 sends RST
                    }
                    if (rule.fault() == Fault.SLOW_RESPONSE) {
                        Thread.sleep(rule.delayMillis());
                    } else {
                        writeError(out, request, rule.fault());
                        if (request.close) {
                            return;
                        }
                        continue;
                    }
                }
                if (!forward(out, request)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.trace("Front connection ended: {}", e.toString());
        } finally {
            open.remove(socket);
        }
    }

    private FaultRule decide(FrontRequest request) {
        synchronized (random) {
            FaultRule fired = null;
            for (ActiveRule active : rules) {
                if (!active.rule.matcher().matches(request)) {
                    continue;
                }
                int number = active.matched.incrementAndGet();
                FaultRule rule = active.rule;
                boolean fires = rule.schedule().contains(number) || rule.rate() > 0 && random.nextDouble() < rule.rate();
                if (fires && fired == null) {
                    fired = rule;
                }
            }
            return fired;
        }
    }

    /** Forwards the request; false when the connection must be closed afterwards. */
    private boolean forward(OutputStream out, Request request) throws IOException {
        LoopbackHttpClient.Response response;
        try {
            response = upstream.send(request.method, request.target, request.headers, request.body);
        } catch (IOException e) {
            LOG.warn("Front {} could not forward {} to {}: {}", endpoint(), request.front, target, e.toString());
            writeResponse(out, 502, List.of(Map.entry("Content-Type", "text/plain")),
                    ("Bad gateway: " + e).getBytes(StandardCharsets.UTF_8), false);
            return false;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String headLength = null;
        for (Map.Entry<String, String> header : response.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-length")) {
                headLength = header.getValue();
            }
            if (!HttpWire.HOP_BY_HOP.contains(name)) {
                headers.add(header);
            }
        }
        boolean head = request.method.equals("HEAD");
        int status = response.status();
        if (head || status == 204 || status == 304) {
            if (head && headLength != null) {
                headers.add(Map.entry("Content-Length", headLength));
            }
            writeHead(out, status, headers, -1, request.close);
            out.flush();
        } else {
            writeResponse(out, status, headers, response.body(), request.close);
        }
        return !request.close;
    }

    private void writeError(OutputStream out, Request request, Fault fault) throws IOException {
        String requestId = UUID.randomUUID().toString();
        if (request.front.target() != null) {
            ErrorShape shape = jsonError(fault);
            String body = "{\"__type\":\"" + shape.type + "\",\"message\":\"" + shape.message + "\"}";
            writeResponse(out, shape.status, List.of(Map.entry("Content-Type", "application/x-amz-json-1.0"),
                    Map.entry("x-amzn-RequestId", requestId)), body.getBytes(StandardCharsets.UTF_8), request.close);
        } else {
            ErrorShape shape = s3Error(fault);
            String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + shape.type + "</Code><Message>"
                          + shape.message + "</Message><RequestId>" + requestId + "</RequestId><HostId>"
                          + "fault-injecting-front</HostId></Error>";
            List<Map.Entry<String, String>> headers = List.of(Map.entry("Content-Type", "application/xml"),
                    Map.entry("x-amz-request-id", requestId), Map.entry("x-amz-id-2", "fault-injecting-front"));
            if (request.method.equals("HEAD")) {
                writeHead(out, shape.status, headers, -1, request.close);
                out.flush();
            } else {
                writeResponse(out, shape.status, headers, body.getBytes(StandardCharsets.UTF_8), request.close);
            }
        }
    }

    private record ErrorShape(int status, String type, String message) {
    }

    /** Error shapes of DynamoDB and DynamoDB Streams (AWS JSON 1.0). */
    private static ErrorShape jsonError(Fault fault) {
        String dynamoDb = AwsServiceError.DYNAMODB_NAMESPACE + "#";
        return switch (fault) {
            case PROVISIONED_THROUGHPUT_EXCEEDED -> new ErrorShape(400, dynamoDb
                    + "ProvisionedThroughputExceededException", "The level of configured provisioned throughput for"
                    + " the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.");
            case LIMIT_EXCEEDED -> new ErrorShape(400, dynamoDb + "LimitExceededException",
                    "Too many concurrent requests (injected)");
            case THROTTLING -> new ErrorShape(400, "com.amazon.coral.availability#ThrottlingException",
                    "Rate of requests exceeds the allowed throughput.");
            case INTERNAL_SERVER_ERROR -> new ErrorShape(500, dynamoDb + "InternalServerError",
                    "Internal server error (injected)");
            case SERVICE_UNAVAILABLE -> new ErrorShape(503, "com.amazon.coral.availability#ServiceUnavailableException",
                    "Service unavailable (injected)");
            case EXPIRED_ITERATOR -> new ErrorShape(400, dynamoDb + "ExpiredIteratorException",
                    "Iterator expired. The iterator was created more than 15 minutes ago (injected)");
            default -> throw new IllegalArgumentException(fault + " is not an error answer");
        };
    }

    /** Error shapes of S3 (REST XML). */
    private static ErrorShape s3Error(Fault fault) {
        return switch (fault) {
            case THROTTLING, PROVISIONED_THROUGHPUT_EXCEEDED, LIMIT_EXCEEDED ->
                    new ErrorShape(503, "SlowDown", "Please reduce your request rate.");
            case INTERNAL_SERVER_ERROR -> new ErrorShape(500, "InternalError",
                    "We encountered an internal error. Please try again.");
            case SERVICE_UNAVAILABLE -> new ErrorShape(503, "ServiceUnavailable",
                    "Service is unable to handle request.");
            case EXPIRED_ITERATOR -> throw new IllegalArgumentException("S3 has no expired iterators");
            default -> throw new IllegalArgumentException(fault + " is not an error answer");
        };
    }

    private static void writeResponse(OutputStream out, int status, List<Map.Entry<String, String>> headers,
                                      byte[] body, boolean close) throws IOException {
        writeHead(out, status, headers, body.length, close);
        out.write(body);
        out.flush();
    }

    private static void writeHead(OutputStream out, int status, List<Map.Entry<String, String>> headers,
                                  long contentLength, boolean close) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        for (Map.Entry<String, String> header : headers) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (contentLength >= 0) {
            head.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        if (close) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body,
                           boolean close, FrontRequest front) {
    }

    /** Reads one request; null when the client closed the connection between requests. */
    private static Request readRequest(InputStream in, OutputStream out) throws IOException {
        String requestLine;
        try {
            requestLine = HttpWire.readLineOrEnd(in);
        } catch (EOFException e) {
            return null;
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
            throw new IOException("Not an HTTP request line: " + requestLine);
        }
        String method = parts[0].toUpperCase(Locale.ROOT);
        String target = parts[1];
        boolean close = parts[2].equals("HTTP/1.0");
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        long contentLength = 0;
        boolean chunked = false;
        boolean expectContinue = false;
        String amzTarget = null;
        for (String line = HttpWire.readLine(in); !line.isEmpty(); line = HttpWire.readLine(in)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("Malformed header line: " + line);
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            String lower = name.toLowerCase(Locale.ROOT);
            switch (lower) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close |= value.toLowerCase(Locale.ROOT).contains("close");
                case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
                case "x-amz-target" -> amzTarget = value;
                default -> {
                    // passed on
                }
            }
            if (!HttpWire.HOP_BY_HOP.contains(lower)) {
                headers.add(Map.entry(name, value));
            }
        }
        if (expectContinue) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        byte[] body;
        if (chunked) {
            body = HttpWire.readChunked(in);
        } else {
            body = HttpWire.readFully(in, contentLength);
        }
        int query = target.indexOf('?');
        String path = query >= 0 ? target.substring(0, query) : target;
        return new Request(method, target, headers, body, close, new FrontRequest(method, path, amzTarget));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(FaultInjectingFront::closeQuietly);
        connections.shutdownNow();
        upstream.close();
    }

    private static final class ActiveRule {
        final FaultRule rule;
        final AtomicInteger matched = new AtomicInteger();

        ActiveRule(FaultRule rule) {
            this.rule = rule;
        }
    }

    @Override
    public String toString() {
        return "FaultInjectingFront[" + endpoint() + " -> " + target + ", injected " + injectedByKind() + "]";
    }
}
