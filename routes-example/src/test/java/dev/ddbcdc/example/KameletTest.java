package dev.ddbcdc.example;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.ddbcdc.camel.DynamoDbCdcComponent;
import dev.ddbcdc.camel.DynamoDbCdcConfiguration;
import dev.ddbcdc.camel.DynamoDbCdcConstants;
import dev.ddbcdc.camel.DynamoDbCdcEndpoint;
import dev.ddbcdc.camel.options.OutputFormat;
import dev.ddbcdc.camel.options.StartPosition;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import dev.ddbcdc.camel.options.ViewOnRemove;
import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cloudevents.CloudEvent;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.component.stub.StubComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dynamodb-cdc-source Kamelet, as the component jar ships it (classpath:kamelets), against the local AWS test kit:
 * used from a Camel route with a snapshot, and through the Camel K Pipe example of src/main/resources/pipes.
 */
class KameletTest {

    @RegisterExtension
    static LocalAwsExtension aws = new LocalAwsExtension();

    /** A secret key with the characters real ones have and a URI query would mangle ('+' as a space). */
    static final String SECRET_KEY = LocalDynamoDb.SECRET_KEY + "+/9=";

    /** Kamelet properties this test leaves unset: none of them may reach the endpoint. */
    static final List<String> UNSET = List.of("sessionToken", "profileCredentialsName",
            "useDefaultCredentialsProvider", "stsRoleArn", "stsExternalId", "stsRoleSessionName", "startPosition",
            "viewOnRemove", "trimmedDataPolicy", "maxRecordAge", "consumerId", "checkpointRepository",
            "exportS3Prefix", "exportS3Region", "exportS3BucketOwner", "exportS3SseKmsKeyId", "exportArn",
            "exportFormat", "streamOverlap");

    /** One exchange as the route saw it. */
    record Event(String operation, String primaryKey, Object body, Map<String, Object> headers) {
        static Event of(Exchange exchange) {
            Map<String, Object> headers = new HashMap<>(exchange.getMessage().getHeaders());
            return new Event((String) headers.get(DynamoDbCdcConstants.OPERATION),
                    (String) headers.get(DynamoDbCdcConstants.PRIMARY_KEY), exchange.getMessage().getBody(), headers);
        }
    }

    @Test
    void snapshotThenStreamFromACamelRoute() throws Exception {
        LocalAws localAws = aws.get();
        DynamoDbClient client = localAws.dynamoDb();
        String table = "kamelet_orders";
        Tables.createWithStream(client, table, StreamViewType.NEW_AND_OLD_IMAGES);
        Tables.enablePointInTimeRecovery(client, table);
        localAws.createBucket("kamelet-exports");
        for (String id : List.of("a1", "a2", "a3")) {
            put(client, table, id, "OPEN");
        }

        List<Event> events = new CopyOnWriteArrayList<>();
        String kamelet = "kamelet:dynamodb-cdc-source?table=" + table + "&region=us-east-1"
                         + "&accessKey=" + LocalDynamoDb.ACCESS_KEY + "&secretKey=RAW(" + SECRET_KEY + ")"
                         + "&uriEndpointOverride=" + localAws.dynamoDbEndpoint()
                         + "&s3UriEndpointOverride=" + localAws.s3Endpoint()
                         + "&exportS3Bucket=kamelet-exports"
                         + "&exportPollInterval=200ms&idlePollDelay=200ms&shardDiscoveryInterval=2s";
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(kamelet).routeId("kamelet-consumer").process(e -> events.add(Event.of(e)));
                }
            });
            // a component-level setting of a property the Kamelet leaves unset: it must survive
            camel.getComponent("dynamodb-cdc", DynamoDbCdcComponent.class).getConfiguration()
                    .setConsumerId("from-component");
            camel.start();

            // the snapshot: every item once as READ
            await(events, e -> count(e, "READ") == 3, "3 READ events");
            Map<String, Event> reads = events.stream().filter(e -> "READ".equals(e.operation()))
                    .collect(Collectors.toMap(Event::primaryKey, e -> e));
            assertEquals(Set.of("a1", "a2", "a3"), reads.keySet());
            for (Event read : reads.values()) {
                assertEquals(table, read.headers().get(DynamoDbCdcConstants.TABLE_NAME));
                assertNotNull(read.headers().get(DynamoDbCdcConstants.EXPORT_ARN));
                assertNotNull(read.headers().get(DynamoDbCdcConstants.EXPORT_DATA_FILE));
                assertNotNull(read.headers().get(DynamoDbCdcConstants.EXPORT_LINE));
                assertEquals(Map.of("pk", read.primaryKey()), read.headers().get(DynamoDbCdcConstants.KEYS));
                assertCloudEvent(read, "READ");
            }

            // then the stream: an insert, an update and a delete
            put(client, table, "b1", "NEW");
            client.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("a1")))
                    .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("SHIPPED"))));
            client.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("a2"))));
            await(events, e -> last(e, "b1") != null && "MODIFY".equals(op(last(e, "a1")))
                               && "REMOVE".equals(op(last(e, "a2"))), "the INSERT, MODIFY and REMOVE");

            Event insert = last(events, "b1");
            assertEquals("INSERT", insert.operation());
            assertEquals("NEW", ((Map<?, ?>) insert.headers().get(DynamoDbCdcConstants.NEW_IMAGE)).get("status"));
            assertNull(insert.headers().get(DynamoDbCdcConstants.OLD_IMAGE));
            assertCloudEvent(insert, "INSERT");
            Event modify = last(events, "a1");
            assertEquals("OPEN", ((Map<?, ?>) modify.headers().get(DynamoDbCdcConstants.OLD_IMAGE)).get("status"));
            assertEquals("SHIPPED", ((Map<?, ?>) modify.headers().get(DynamoDbCdcConstants.NEW_IMAGE)).get("status"));
            assertCloudEvent(modify, "MODIFY");
            Event remove = last(events, "a2");
            assertNull(remove.headers().get(DynamoDbCdcConstants.NEW_IMAGE));
            assertCloudEvent(remove, "REMOVE");
            // every stream event carries the stream's coordinates
            for (Event event : List.of(insert, modify, remove)) {
                assertNotNull(event.headers().get(DynamoDbCdcConstants.EVENT_ID));
                assertNotNull(event.headers().get(DynamoDbCdcConstants.SEQUENCE_NUMBER));
                assertNotNull(event.headers().get(DynamoDbCdcConstants.STREAM_ARN));
                assertInstanceOf(Long.class, event.headers().get(DynamoDbCdcConstants.DOCUMENT_VERSION));
            }

            // what the Kamelet passed on to the endpoint, and what it did not
            DynamoDbCdcEndpoint endpoint = cdcEndpoint(camel);
            DynamoDbCdcConfiguration config = endpoint.getConfiguration();
            String uri = endpoint.getEndpointUri();
            for (String unset : UNSET) {
                // Camel wraps the values of secret options in RAW() when it builds the URI from the template's
                // parameters, and then leaves an unresolved optional placeholder in the URI text: RAW({{?name}}).
                // It sets nothing on the endpoint (checked below); any other value would be a leak.
                boolean leftAsPlaceholder = uri.contains(unset + "=RAW(%7B%7B?" + unset + "%7D%7D)");
                assertTrue(!uri.contains(unset + "=") || leftAsPlaceholder,
                        unset + " was not set, yet the endpoint got it: " + uri);
            }
            assertEquals(SECRET_KEY, config.getSecretKey(), "the secret key reaches the endpoint unchanged");
            assertEquals(OutputFormat.CLOUDEVENTS, config.getOutputFormat(), "the Kamelet's default");
            assertEquals(200, config.getIdlePollDelay());
            assertEquals(2000, config.getShardDiscoveryInterval());
            assertEquals("from-component", config.getConsumerId(), "the component-level setting was not overridden");
            // the component's defaults, as dynamodb-cdc.json states them
            assertEquals(StartPosition.LATEST, config.getStartPosition());
            assertEquals(ViewOnRemove.NEW_IMAGE, config.getViewOnRemove());
            assertEquals(TrimmedDataPolicy.FAIL, config.getTrimmedDataPolicy());
            assertEquals(300_000, config.getStreamOverlap());
            assertEquals("camel-dynamodb-cdc", config.getStsRoleSessionName());
            assertFalse(config.isUseDefaultCredentialsProvider());
            assertNull(config.getSessionToken());
            assertNull(config.getProfileCredentialsName());
            assertNull(config.getStsRoleArn());
            assertNull(config.getExportS3Prefix());
            assertNull(config.getExportS3Region());
            assertNull(config.getExportS3SseKmsKeyId());
            assertNull(config.getExportArn());
        }
    }

    @Test
    void outputFormatMapGivesTheItemAsAMap() throws Exception {
        LocalAws localAws = aws.get();
        DynamoDbClient client = localAws.dynamoDb();
        String table = "kamelet_map";
        Tables.createWithStream(client, table, StreamViewType.NEW_IMAGE);

        List<Event> events = new CopyOnWriteArrayList<>();
        try (CamelContext camel = new DefaultCamelContext()) {
            // the properties as camel-kamelet also reads them: camel.kamelet.<name>.<property> for every use,
            // camel.kamelet.<name>.<id>.<property> for kamelet:<name>/<id>
            Map<String, String> properties = Map.of("table", table, "region", "us-east-1",
                    "accessKey", LocalDynamoDb.ACCESS_KEY, "secretKey", SECRET_KEY,
                    "uriEndpointOverride", localAws.dynamoDbEndpoint().toString(),
                    "startPosition", "TRIM_HORIZON", "idlePollDelay", "200");
            properties.forEach((name, value) -> camel.getPropertiesComponent()
                    .addInitialProperty("camel.kamelet.dynamodb-cdc-source." + name, value));
            camel.getPropertiesComponent().addInitialProperty("camel.kamelet.dynamodb-cdc-source.maps.outputFormat",
                    "MAP");
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kamelet:dynamodb-cdc-source/maps").process(e -> events.add(Event.of(e)));
                }
            });
            put(client, table, "m1", "NEW");
            camel.start();
            await(events, e -> last(e, "m1") != null, "the INSERT of m1");
            Event insert = last(events, "m1");
            assertEquals("INSERT", insert.operation());
            assertEquals(Map.of("pk", "m1", "status", "NEW"), insert.body());
            assertNull(insert.headers().get(CloudEvent.CAMEL_CLOUD_EVENT_TYPE));
            DynamoDbCdcConfiguration config = cdcEndpoint(camel).getConfiguration();
            assertEquals(SECRET_KEY, config.getSecretKey());
            assertEquals(StartPosition.TRIM_HORIZON, config.getStartPosition());
            assertNull(config.getExportS3Bucket(), "no snapshot unless exportS3Bucket is set");
        }
    }

    /**
     * The Pipe example, loaded as it is with camel-main's YAML DSL. What Camel K would add is simulated: the mounted
     * Secret is a properties file here, the camel trait's properties are set as camel-main properties with the mount
     * path of the volume replaced by a temporary directory, and a stub stands in for the Knative component. The local
     * endpoints and poll intervals are given as Kamelet properties (camel.kamelet.dynamodb-cdc-source.*), which the
     * Pipe does not set.
     */
    @Test
    void pipeExampleRuns(@TempDir Path dir) throws Exception {
        String resource = "pipes/orders-cdc-to-broker.pipe.yaml";
        Map<String, Object> pipe = loadYaml(resource);
        Map<String, Object> annotations = map(map(pipe, "metadata"), "annotations");
        Map<String, Object> pipeProperties = map(map(map(pipe, "spec"), "source"), "properties");
        String table = (String) pipeProperties.get("table");
        String bucket = (String) pipeProperties.get("exportS3Bucket");
        assertEquals("secret:dynamodb-cdc-aws", annotations.get("trait.camel.apache.org/mount.configs"));

        LocalAws localAws = aws.get();
        DynamoDbClient client = localAws.dynamoDb();
        Tables.createWithStream(client, table, StreamViewType.NEW_AND_OLD_IMAGES);
        Tables.enablePointInTimeRecovery(client, table);
        localAws.createBucket(bucket);
        put(client, table, "p1", "OPEN");
        put(client, table, "p2", "OPEN");

        // the Secret dynamodb-cdc-aws, as the mount trait mounts it: a properties file (docs/kamelet.md)
        Path secret = dir.resolve("aws.properties");
        Files.writeString(secret, "camel.component.dynamodb-cdc.accessKey=" + LocalDynamoDb.ACCESS_KEY + "\n"
                                  + "camel.component.dynamodb-cdc.secretKey=" + SECRET_KEY + "\n");
        // the PersistentVolumeClaim, mounted where the mount trait puts it: "claim:path"
        String mountPath = traitList(annotations.get("trait.camel.apache.org/mount.volumes")).get(0).split(":", 2)[1];
        Path volume = Files.createDirectories(dir.resolve("checkpoints-volume"));

        Main main = new Main();
        main.configure().withRoutesIncludePattern("classpath:" + resource);
        main.setPropertyPlaceholderLocations("file:" + secret);
        for (String property : traitList(annotations.get("trait.camel.apache.org/camel.properties"))) {
            int eq = property.indexOf('=');
            main.addInitialProperty(property.substring(0, eq),
                    property.substring(eq + 1).replace(mountPath, volume.toString()));
        }
        Map.of("uriEndpointOverride", localAws.dynamoDbEndpoint().toString(),
                "s3UriEndpointOverride", localAws.s3Endpoint().toString(),
                "exportPollInterval", "200ms", "idlePollDelay", "200ms", "shardDiscoveryInterval", "2s")
                .forEach((name, value) -> main.addInitialProperty("camel.kamelet.dynamodb-cdc-source." + name, value));
        main.bind("knative", new StubComponent());
        main.start();
        try {
            CamelContext camel = main.getCamelContext();
            SedaEndpoint broker = camel.getEndpoints().stream().filter(e -> e.getEndpointUri().startsWith("knative:"))
                    .map(SedaEndpoint.class::cast).findFirst().orElseThrow();
            assertTrue(broker.getEndpointUri().contains("com.amazon.dynamodb.stream_record"), broker.getEndpointUri());
            assertTrue(broker.getEndpointUri().contains("name=default"), broker.getEndpointUri());

            awaitExchanges(broker, list -> operations(list, "READ").size() == 2, "2 READ events at the broker");
            assertEquals(Set.of("p1", "p2"), operations(broker.getExchanges(), "READ"));
            put(client, table, "p3", "NEW");
            awaitExchanges(broker, list -> operations(list, "INSERT").contains("p3"), "the INSERT of p3");
            Exchange insert = broker.getExchanges().stream()
                    .filter(e -> "p3".equals(e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY)))
                    .findFirst().orElseThrow();
            assertEquals("com.amazon.dynamodb.stream_record",
                    insert.getMessage().getHeader(CloudEvent.CAMEL_CLOUD_EVENT_TYPE));
            assertInstanceOf(String.class, insert.getMessage().getBody(), "a serialized body for the broker");

            DynamoDbCdcConfiguration config = cdcEndpoint(camel).getConfiguration();
            assertEquals(LocalDynamoDb.ACCESS_KEY, config.getAccessKey(), "from the mounted Secret");
            assertEquals(table, config.getTable());
            assertEquals(pipeProperties.get("region"), config.getRegion());
            assertEquals(SECRET_KEY, config.getSecretKey(), "from the mounted Secret");
            assertEquals(pipeProperties.get("consumerId"), config.getConsumerId());
            assertEquals(pipeProperties.get("exportS3Prefix"), config.getExportS3Prefix());
            FileCheckpointRepository checkpoints = assertInstanceOf(FileCheckpointRepository.class,
                    config.getCheckpointRepository());
            assertEquals(volume.resolve("orders-cdc-to-broker.dat").toFile(), checkpoints.getFileStore());
        } finally {
            main.stop();
        }
        // the checkpoints outlive the pod on the volume
        String stored = Files.readString(volume.resolve("orders-cdc-to-broker.dat"));
        assertTrue(stored.contains("dynamodb-cdc/orders-cdc-to-broker/"), stored);
    }

    static void assertCloudEvent(Event event, String operation) {
        assertEquals("com.amazon.dynamodb.stream_record", event.headers().get(CloudEvent.CAMEL_CLOUD_EVENT_TYPE));
        assertNotNull(event.headers().get(CloudEvent.CAMEL_CLOUD_EVENT_ID));
        assertEquals(Map.of("dynamodboperation", operation),
                event.headers().get(CloudEvent.CAMEL_CLOUD_EVENT_EXTENSIONS));
        String body = assertInstanceOf(String.class, event.body(), "CLOUDEVENTS bodies are JSON strings");
        assertTrue(body.contains("\"Keys\"") && body.contains("\"" + event.primaryKey() + "\""), body);
    }

    static DynamoDbCdcEndpoint cdcEndpoint(CamelContext camel) {
        List<DynamoDbCdcEndpoint> endpoints = new ArrayList<>();
        for (Endpoint endpoint : camel.getEndpoints()) {
            if (endpoint instanceof DynamoDbCdcEndpoint cdc) {
                endpoints.add(cdc);
            }
        }
        assertEquals(1, endpoints.size(), endpoints.toString());
        return endpoints.get(0);
    }

    static void put(DynamoDbClient client, String table, String id, String status) {
        client.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(id),
                "status", AttributeValue.fromS(status))));
    }

    static long count(List<Event> events, String operation) {
        return events.stream().filter(e -> operation.equals(e.operation())).count();
    }

    static Event last(List<Event> events, String primaryKey) {
        Event last = null;
        for (Event event : events) {
            if (primaryKey.equals(event.primaryKey())) {
                last = event;
            }
        }
        return last;
    }

    static String op(Event event) {
        return event == null ? null : event.operation();
    }

    static Set<String> operations(List<Exchange> exchanges, String operation) {
        Set<String> keys = new TreeSet<>();
        for (Exchange exchange : exchanges) {
            if (operation.equals(exchange.getMessage().getHeader(DynamoDbCdcConstants.OPERATION))) {
                keys.add(exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class));
            }
        }
        return keys;
    }

    static void await(List<Event> events, Predicate<List<Event>> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.test(events)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 60 s; got " + events.stream()
                        .map(e -> e.operation() + " " + e.primaryKey()).toList());
            }
            Thread.sleep(50);
        }
    }

    static void awaitExchanges(SedaEndpoint endpoint, Predicate<List<Exchange>> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.test(endpoint.getExchanges())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 60 s; got " + endpoint.getExchanges().size()
                                         + " exchanges");
            }
            Thread.sleep(50);
        }
    }

    /** A list-valued trait annotation: "[a,b]" (Camel K's form) or "a". */
    static List<String> traitList(Object annotation) {
        String value = String.valueOf(annotation).trim();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        return List.of(value.split(","));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> loadYaml(String resource) throws Exception {
        try (InputStream in = KameletTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return new LinkedHashMap<>((Map<String, Object>) new Load(LoadSettings.builder().build())
                    .loadFromInputStream(in));
        }
    }
}
