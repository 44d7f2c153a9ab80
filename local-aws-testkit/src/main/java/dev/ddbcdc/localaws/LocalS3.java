package dev.ddbcdc.localaws;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;

import com.adobe.testing.s3mock.S3MockApplication;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Adobe's S3Mock running in this JVM as a plain-HTTP server on a free loopback port, quiet. Cold start takes a few
 * seconds (a Spring Boot application), so share one per test class.
 *
 * <p>S3Mock 5 would listen with TLS on 9191 and with plain HTTP on 9090, and (S3 Vectors) on 9092/9193. Here the main
 * connector has TLS off and listens on a random port of 127.0.0.1 (that is {@link #endpoint()}); the others are moved
 * to random ports, so that several instances can run side by side. Spring Boot and Tomcat log at WARN only.
 *
 * <p>Classpath order matters: DynamoDBLocal's jar bundles old kotlin classes; if they come before S3Mock's kotlin,
 * every S3 request fails with HTTP 500 ({@code NoSuchFieldError: CONTEXT}). {@link #start()} makes one request and
 * says so instead of letting tests fail obscurely.
 */
public final class LocalS3 implements AutoCloseable {

    private final S3MockApplication application;
    private final int port;
    private S3Client client;
    private boolean closed;

    /**
     * Tomcat logs its connector life cycle through java.util.logging at INFO, and at shutdown warns about Spring's
     * task threads (S3Mock's streaming responses) that end a moment later. Strong references keep these levels (JUL
     * holds loggers weakly).
     */
    private static final Map<java.util.logging.Logger, Level> QUIET_JUL_LOGGERS = Map.of(
            java.util.logging.Logger.getLogger("org.apache.catalina"), Level.WARNING,
            java.util.logging.Logger.getLogger("org.apache.coyote"), Level.WARNING,
            java.util.logging.Logger.getLogger("org.apache.tomcat"), Level.WARNING,
            java.util.logging.Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase"), Level.SEVERE);

    private LocalS3(S3MockApplication application) {
        this.application = application;
        this.port = application.getPort();
    }

    /** Starts S3Mock with in-memory-like temporary storage (deleted on close) on a free loopback port. */
    public static LocalS3 start() {
        QUIET_JUL_LOGGERS.forEach(java.util.logging.Logger::setLevel);
        Map<String, Object> properties = new HashMap<>();
        properties.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
        properties.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
        properties.put("server.ssl.enabled", false);
        properties.put("server.address", "127.0.0.1");
        properties.put("vectors.http.port", 0);
        properties.put("vectors.https.port", 0);
        properties.put(S3MockApplication.PROP_SILENT, true);
        properties.put("logging.level.root", "WARN");
        properties.put("logging.level.org.springframework", "WARN");
        properties.put("logging.level.org.apache", "WARN");
        properties.put("logging.level.com.adobe.testing.s3mock", "WARN");
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.main.log-startup-info", false);
        properties.put("com.adobe.testing.s3mock.store.retain-files-on-exit", false);
        properties.put("com.adobe.testing.s3mock.store.region", LocalDynamoDb.REGION.id());
        isolateFromTheApplicationsConfiguration(properties);
        LocalS3 s3;
        try {
            // S3Mock's start() mutates the map it is given (it removes "silent"), so it must be a mutable map.
            s3 = new LocalS3(S3MockApplication.start(properties));
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("Could not start S3Mock in-process (if this is a NoSuchFieldError or "
                    + "NoSuchMethodError from kotlin, s3mock must come before DynamoDBLocal on the classpath)", e);
        }
        try {
            s3.client().listBuckets();
        } catch (RuntimeException e) {
            s3.close();
            throw new IllegalStateException("S3Mock started but cannot answer (HTTP 500 with NoSuchFieldError: CONTEXT "
                    + "means DynamoDBLocal's bundled kotlin comes before S3Mock's on the classpath: declare "
                    + "com.adobe.testing:s3mock before com.amazonaws:DynamoDBLocal)", e);
        }
        return s3;
    }

    /**
     * S3Mock keeps settings it needs in its jar's {@code application.properties}. In an application with its own
     * {@code application.properties} (camel-main, Spring Boot), that one is found first on the classpath, S3Mock's is
     * hidden, and S3Mock fails to start ("Could not bind properties to S3MockProperties"). So S3Mock's file is read
     * from its own jar and passed as properties, and Spring is told to look for no configuration file at all: S3Mock
     * runs the same whatever the application's classpath holds.
     */
    private static void isolateFromTheApplicationsConfiguration(Map<String, Object> properties) {
        Properties own = new Properties();
        try {
            URL jar = S3MockApplication.class.getProtectionDomain().getCodeSource().getLocation();
            URL file = new URL("jar:" + jar + "!/application.properties");
            try (InputStream in = file.openStream()) {
                own.load(in);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Could not read S3Mock's own application.properties from its jar", e);
        }
        own.forEach((key, value) -> properties.putIfAbsent((String) key, value));
        properties.put("spring.config.name", "dynamodb-cdc-local-s3-has-no-config-file");
    }

    /** Plain-HTTP endpoint, e.g. {@code http://127.0.0.1:41234}; use path-style addressing. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** A path-style S3 client for this server with the test kit's dummy credentials and region. */
    public synchronized S3Client client() {
        if (client == null) {
            client = S3Client.builder().endpointOverride(endpoint()).forcePathStyle(true).region(LocalDynamoDb.REGION)
                    .credentialsProvider(LocalDynamoDb.credentials()).httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        return client;
    }

    /** Creates a bucket (an existing bucket of the same name is fine). */
    public void createBucket(String bucket) {
        try {
            client().createBucket(b -> b.bucket(bucket));
        } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException e) {
            // already there
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (client != null) {
            client.close();
            client = null;
        }
        application.stop();
    }
}
