package dev.ddbcdc.localaws;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Amazon's DynamoDB Local (Streams included) running in this JVM as an HTTP server on loopback, so that code under
 * test talks to it through real HTTP and the real AWS SDK. Also reaches the two test controls DynamoDB Local has
 * only in embedded mode: {@link #triggerShardRollovers()} and {@link #dilateEventTimes(Duration)}.
 */
public final class LocalDynamoDb implements AutoCloseable {

    /** Region the test kit's clients use; DynamoDB Local ignores it (ARNs say {@code ddblocal}). */
    public static final Region REGION = Region.US_EAST_1;
    /** Dummy credentials: DynamoDB Local accepts any; with {@code -sharedDb} they all see one database. */
    public static final String ACCESS_KEY = "localAccessKey";
    public static final String SECRET_KEY = "localSecretKey";

    /** The sum of every {@link #dilateEventTimes} so far. */
    private volatile Duration dilated = Duration.ZERO;
    private final DynamoDBProxyServer server;
    private final int port;
    private DynamoDbClient client;
    private DynamoDbStreamsClient streamsClient;

    private LocalDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts an in-memory, shared-database DynamoDB Local on a free loopback port. Several may start at once (test
     * cases that run concurrently, each with its own): DynamoDB Local parses its options with commons-cli's static
     * option builder, which is not thread-safe (two parses at once failed with "Unrecognized option:
     * -disableTelemetry"), so the parse is serialised.
     */
    public static LocalDynamoDb start() {
        int port = freePort();
        try {
            DynamoDBProxyServer server;
            synchronized (LocalDynamoDb.class) {
                server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                        "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(port) });
            }
            server.start();
            return new LocalDynamoDb(server, port);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start DynamoDB Local on port " + port, e);
        }
    }

    public URI endpoint() {
        return URI.create("http://localhost:" + port);
    }

    public int port() {
        return port;
    }

    public synchronized DynamoDbClient client() {
        if (client == null) {
            client = DynamoDbClient.builder().endpointOverride(endpoint()).region(REGION)
                    .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        }
        return client;
    }

    public synchronized DynamoDbStreamsClient streamsClient() {
        if (streamsClient == null) {
            streamsClient = DynamoDbStreamsClient.builder().endpointOverride(endpoint()).region(REGION)
                    .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        }
        return streamsClient;
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /**
     * How far {@link #dilateEventTimes} aged this database in total. It ages tables' creation times too (DescribeTable
     * answers them earlier by this much), which in AWS never change: a table is the same table however long ago.
     */
    public Duration dilated() {
        return dilated;
    }

    /** Closes every open shard of every stream and opens children whose ParentShardId names them. */
    public void triggerShardRollovers() {
        database().triggerShardRollovers();
    }

    /**
     * Ages every stream record and shard by {@code by}: past 24 hours records are trimmed
     * ({@code TrimmedDataAccessException}) and closed shards disappear, as in AWS after the retention period.
     */
    public void dilateEventTimes(Duration by) {
        dilated = dilated.plus(by);
        database().dilateEventTimes(by.toMillis());
    }

    private AmazonDynamoDBLocal database() {
        try {
            Object serverHandler = field(server, "serverHandler");
            Object requestHandler = field(serverHandler, "primaryHandler");
            @SuppressWarnings("unchecked")
            Map<String, AmazonDynamoDBLocal> databases = (Map<String, AmazonDynamoDBLocal>) field(requestHandler,
                    "dbRequestHandlers");
            Collection<AmazonDynamoDBLocal> all = databases.values();
            if (all.size() != 1) {
                throw new IllegalStateException("Expected one shared database, found " + all.size()
                        + " (make one request before using a test control)");
            }
            return all.iterator().next();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("This DynamoDB Local version does not expose its test controls", e);
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        Class<?> type = target.getClass();
        while (type != null) {
            try {
                Field f = type.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException e) {
                type = type.getSuperclass();
            }
        }
        throw new NoSuchFieldException(name);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free loopback port", e);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        if (streamsClient != null) {
            streamsClient.close();
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop DynamoDB Local", e);
        }
    }
}
