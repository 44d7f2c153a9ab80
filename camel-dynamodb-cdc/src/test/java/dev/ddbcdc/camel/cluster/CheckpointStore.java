package dev.ddbcdc.camel.cluster;

import java.lang.reflect.Field;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.ddbcdc.camel.checkpoint.FencedStateRepository;
import dev.ddbcdc.camel.checkpoint.JdbcStateRepository;
import dev.ddbcdc.localaws.LocalDynamoDb;
import org.apache.camel.support.service.ServiceHelper;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.tools.Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The shared checkpoint store of a cluster test, named by a spec string that the test passes to its children:
 * {@code jdbc:<H2 URL>} (a {@link JdbcStateRepository} on an H2 database of the test JVM's TCP server, see
 * {@link #startH2Server()}), or {@code dynamodb:<table>@<endpoint>} (the component's DynamoDB store,
 * {@value #DYNAMODB_STORE}, on DynamoDB Local; made by its bean setters, so this compiles before that class exists,
 * and {@link #dynamoDbStoreExists()} tells whether it does).
 */
final class CheckpointStore {

    static final String DYNAMODB_STORE = "dev.ddbcdc.camel.store.DynamoDbStateRepository";
    private static final String DYNAMODB_TABLE = "dev.ddbcdc.camel.store.DynamoDbCheckpointTable";
    private static final Map<String, DynamoDbClient> CLIENTS = new ConcurrentHashMap<>();

    private CheckpointStore() {
    }

    /** Opens (and starts) the store a spec names, in a child. */
    static FencedStateRepository open(String spec) throws ReflectiveOperationException {
        if (spec.startsWith("jdbc:")) {
            JdbcStateRepository repository = new JdbcStateRepository(JdbcConnectionPool.create(spec, "sa", ""));
            ServiceHelper.startService(repository);
            return repository;
        }
        if (spec.startsWith("dynamodb:")) {
            Object repository = Class.forName(DYNAMODB_STORE).getConstructor().newInstance();
            set(repository, "setTableName", tableOf(spec));
            set(repository, "setRegion", "us-east-1");
            set(repository, "setUriEndpointOverride", endpointOf(spec));
            set(repository, "setAccessKey", LocalDynamoDb.ACCESS_KEY);
            set(repository, "setSecretKey", LocalDynamoDb.SECRET_KEY);
            ServiceHelper.startService(repository);
            return (FencedStateRepository) repository;
        }
        throw new IllegalArgumentException("Unknown checkpoint store " + spec);
    }

    private static void set(Object bean, String setter, String value) throws ReflectiveOperationException {
        bean.getClass().getMethod(setter, String.class).invoke(bean, value);
    }

    /** Whether the component has its DynamoDB checkpoint store (it is being written). */
    static boolean dynamoDbStoreExists() {
        try {
            Class.forName(DYNAMODB_STORE);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The spec of the DynamoDB store in table {@code table} of the DynamoDB at {@code endpoint}. */
    static String dynamoDb(String table, URI endpoint) {
        return "dynamodb:" + table + "@" + endpoint;
    }

    private static String tableOf(String spec) {
        return spec.substring("dynamodb:".length(), spec.indexOf('@'));
    }

    private static String endpointOf(String spec) {
        return spec.substring(spec.indexOf('@') + 1);
    }

    /** An H2 TCP server on a free loopback port, databases created on first connection. */
    static Server startH2Server() throws SQLException {
        return Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
    }

    /** The spec of an in-memory database {@code name} on {@code server}, kept while the server runs. */
    static String h2(Server server, String name) {
        return "jdbc:h2:tcp://localhost:" + server.getPort() + "/mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    /** Every key and value the store holds now, read directly (not through the repository). */
    static Map<String, String> rows(String spec) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        if (spec.startsWith("jdbc:")) {
            try (Connection connection = DriverManager.getConnection(spec, "sa", "");
                 Statement statement = connection.createStatement()) {
                ResultSet result;
                try {
                    result = statement.executeQuery("SELECT state_key, state_value FROM "
                                                    + JdbcStateRepository.DEFAULT_TABLE);
                } catch (SQLException e) {
                    return rows; // no member created the table yet
                }
                while (result.next()) {
                    rows.put(result.getString(1), result.getString(2));
                }
            }
            return rows;
        }
        if (spec.startsWith("dynamodb:")) {
            DynamoDbClient client = CLIENTS.computeIfAbsent(spec, s -> DynamoDbClient.builder()
                    .region(Region.US_EAST_1).endpointOverride(URI.create(endpointOf(s)))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            LocalDynamoDb.ACCESS_KEY, LocalDynamoDb.SECRET_KEY)))
                    .build());
            String key = attribute("KEY");
            String value = attribute("VALUE");
            try {
                client.scanPaginator(b -> b.tableName(tableOf(spec)).consistentRead(true)).items().forEach(item -> {
                    if (item.containsKey(key) && item.containsKey(value)) {
                        rows.put(item.get(key).s(), item.get(value).s());
                    }
                });
            } catch (ResourceNotFoundException e) {
                return rows; // no member created the table yet
            }
            return rows;
        }
        throw new IllegalArgumentException("Unknown checkpoint store " + spec);
    }

    /** An attribute name of the DynamoDB store's table ({@code KEY}, {@code VALUE}). */
    private static String attribute(String constant) {
        try {
            Field field = Class.forName(DYNAMODB_TABLE).getDeclaredField(constant);
            field.setAccessible(true);
            return (String) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("The DynamoDB store's table names no " + constant, e);
        }
    }
}
