package dev.ddbcdc.localaws;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * Passes a request through to DynamoDB Local unchanged (method, path, query, body, end-to-end headers such as
 * {@code Host}, {@code Authorization}, {@code X-Amz-*}, {@code Content-Type}) and its answer back unchanged (status,
 * headers including {@code x-amz-crc32} and {@code x-amzn-RequestId}, body). Only hop-by-hop headers are left to the
 * two HTTP connections. Connections to DynamoDB Local are kept alive and reused.
 */
final class DynamoDbForwarder implements AutoCloseable {

    /** The JDK HTTP server adds its own Date header. */
    private static final Set<String> NOT_RETURNED = Set.of("date");

    private final LoopbackHttpClient upstream;

    DynamoDbForwarder(URI dynamoDbLocal) {
        this.upstream = new LoopbackHttpClient(dynamoDbLocal.getHost(), dynamoDbLocal.getPort());
    }

    void forward(HttpExchange exchange, byte[] body) throws IOException {
        respond(exchange, send(exchange, body));
    }

    /** Sends the request to DynamoDB Local and returns its answer, not yet passed back. */
    LoopbackHttpClient.Response send(HttpExchange exchange, byte[] body) throws IOException {
        URI requestUri = exchange.getRequestURI();
        String rawQuery = requestUri.getRawQuery();
        String target = requestUri.getRawPath() + (rawQuery == null ? "" : "?" + rawQuery);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!HttpWire.HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                for (String value : header.getValue()) {
                    headers.add(Map.entry(header.getKey(), value));
                }
            }
        }
        return upstream.send(exchange.getRequestMethod(), target, headers, body);
    }

    /** Passes DynamoDB Local's answer back unchanged. */
    void respond(HttpExchange exchange, LoopbackHttpClient.Response response) throws IOException {
        Headers out = exchange.getResponseHeaders();
        for (Map.Entry<String, String> header : response.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HttpWire.HOP_BY_HOP.contains(name) && !NOT_RETURNED.contains(name)) {
                out.add(header.getKey(), header.getValue());
            }
        }
        byte[] responseBody = response.body();
        int status = response.status();
        boolean noBody = responseBody.length == 0 || status == 204 || status == 304
                || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, noBody ? -1 : responseBody.length);
        if (!noBody) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(responseBody);
            }
        }
    }

    @Override
    public void close() {
        upstream.close();
    }
}
