package dev.ddbcdc.localaws;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Local AWS for the snapshot phase, all in this JVM: DynamoDB Local (with Streams), S3 (S3Mock), and the
 * {@link ExportEmulator} front in front of DynamoDB Local that adds point-in-time recovery and exports to S3. Code
 * under test points its DynamoDB and DynamoDB Streams clients at {@link #dynamoDbEndpoint()} (the front) and its S3
 * client at {@link #s3Endpoint()} (path-style). Starting takes a few seconds (S3Mock is a Spring Boot application):
 * share one per test class, e.g. with {@link LocalAwsExtension}.
 */
public final class LocalAws implements AutoCloseable {

    private final LocalDynamoDb dynamoDbLocal;
    private final LocalS3 s3;
    private final ExportEmulator exports;

    private LocalAws(LocalDynamoDb dynamoDbLocal, LocalS3 s3, ExportEmulator exports) {
        this.dynamoDbLocal = dynamoDbLocal;
        this.s3 = s3;
        this.exports = exports;
    }

    /** Starts S3Mock and DynamoDB Local side by side, then the front. */
    public static LocalAws start() {
        CompletableFuture<LocalS3> s3 = CompletableFuture.supplyAsync(LocalS3::start);
        LocalDynamoDb dynamoDb = null;
        try {
            dynamoDb = LocalDynamoDb.start();
            LocalS3 localS3 = s3.join();
            try {
                return new LocalAws(dynamoDb, localS3, ExportEmulator.start(dynamoDb, localS3.client()));
            } catch (RuntimeException e) {
                localS3.close();
                throw e;
            }
        } catch (RuntimeException e) {
            if (dynamoDb != null) {
                dynamoDb.close();
            }
            s3.thenAccept(LocalS3::close);
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The front: DynamoDB and DynamoDB Streams endpoint for code under test. */
    public URI dynamoDbEndpoint() {
        return exports.endpoint();
    }

    /** S3 endpoint (plain HTTP; use path-style addressing). */
    public URI s3Endpoint() {
        return s3.endpoint();
    }

    /** DynamoDB client through the front. */
    public DynamoDbClient dynamoDb() {
        return exports.client();
    }

    /** DynamoDB Streams client through the front. */
    public DynamoDbStreamsClient streams() {
        return exports.streamsClient();
    }

    /** Path-style S3 client. */
    public S3Client s3() {
        return s3.client();
    }

    /** The export emulator and its test controls. */
    public ExportEmulator exports() {
        return exports;
    }

    /** DynamoDB Local itself, for {@link LocalDynamoDb#triggerShardRollovers()} and time dilation. */
    public LocalDynamoDb dynamoDbLocal() {
        return dynamoDbLocal;
    }

    /**
     * Moves the whole local AWS forward in time by {@code by}: the export emulator's clock (PITR windows, the write
     * times of changes for incremental exports, export times; see {@link ExportEmulator#advanceClock(Duration)}) and
     * the age of DynamoDB Local's stream records and shards ({@link LocalDynamoDb#dilateEventTimes(Duration)}: past 24
     * hours records are trimmed, as in AWS). DynamoDB Local must have answered a request before (it then has its
     * database). Stream records written afterwards still carry wall-clock times.
     */
    public void advanceClock(Duration by) {
        exports.advanceClock(by);
        dynamoDbLocal.dilateEventTimes(by);
    }

    /** Creates an S3 bucket (an existing one of the same name is fine). */
    public void createBucket(String bucket) {
        s3.createBucket(bucket);
    }

    @Override
    public void close() {
        try {
            exports.close();
        } finally {
            try {
                s3.close();
            } finally {
                dynamoDbLocal.close();
            }
        }
    }
}
