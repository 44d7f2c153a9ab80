package dev.ddbcdc.localaws;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * Passes a request through to DynamoDB Local unchanged (method, path, query, body, end-to-end headers such as
 * {@code Authorization}, {@code X-Amz-*}, {@code Content-Type}) and its answer back unchanged (status, headers
 * including {@code x-amz-crc32} and {@code x-amzn-RequestId}, body). Connections to DynamoDB Local are kept alive and
 * reused.
 */
final class DynamoDbForwarder {

    /** Hop-by-hop headers and those the two HTTP stacks compute themselves. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "proxy-authorization",
            "proxy-authenticate", "date");

    private final URI upstream;
    private final HttpClient http;

    DynamoDbForwarder(URI upstream, Executor executor) {
        this.upstream = upstream;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(executor).build();
    }

    void forward(HttpExchange exchange, byte[] body) throws IOException {
        URI requestUri = exchange.getRequestURI();
        String rawQuery = requestUri.getRawQuery();
        URI target = upstream.resolve(requestUri.getRawPath() + (rawQuery == null ? "" : "?" + rawQuery));
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String value : header.getValue()) {
                try {
                    request.header(header.getKey(), value);
                } catch (IllegalArgumentException restricted) {
                    // a header java.net.http does not let callers set; DynamoDB Local does not need it
                }
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while forwarding to DynamoDB Local", e);
        }
        Headers out = exchange.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                out.put(name, values);
            }
        });
        byte[] responseBody = response.body();
        int status = response.statusCode();
        boolean noBody = responseBody.length == 0 || status == 204 || status == 304
                || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, noBody ? -1 : responseBody.length);
        if (!noBody) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(responseBody);
            }
        }
    }
}
