package dev.ddbcdc.localaws;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback front that passes every request unchanged to an upstream such as {@link LocalDynamoDb} (or a
 * {@link LocalAws} front) and records who signed it: the access key id of its SigV4 Authorization header and its
 * {@code X-Amz-Security-Token}. DynamoDB Local accepts any credentials, so this is how a test sees which credentials
 * the code under test really used.
 */
public final class SignedRequestRecorder implements AutoCloseable {

    static {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** One request: its {@code X-Amz-Target} (the operation), signing access key id and session token. */
    public record SignedRequest(String target, String accessKeyId, String securityToken) {
        @Override
        public String toString() {
            return "SignedRequest[" + target + ", " + accessKeyId + ", token " + (securityToken != null) + "]";
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final DynamoDbForwarder forwarder;
    private final List<SignedRequest> requests = new CopyOnWriteArrayList<>();

    private SignedRequestRecorder(URI upstream) throws IOException {
        forwarder = new DynamoDbForwarder(upstream);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "signed-request-recorder");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Starts on a free loopback port in front of {@code upstream} (http://host:port). */
    public static SignedRequestRecorder start(URI upstream) {
        try {
            return new SignedRequestRecorder(upstream);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the recording front", e);
        }
    }

    /** The endpoint to give the code under test. */
    public URI endpoint() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    /** Every request passed through, in order. */
    public List<SignedRequest> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new SignedRequest(exchange.getRequestHeaders().getFirst("X-Amz-Target"),
                    LocalSts.AccessKeyIds.of(exchange.getRequestHeaders().getFirst("Authorization")),
                    exchange.getRequestHeaders().getFirst("X-Amz-Security-Token")));
            forwarder.forward(exchange, body);
        } catch (IOException clientOrUpstreamGone) {
            // the client sees a broken connection, as with a real network fault
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        forwarder.close();
    }
}
