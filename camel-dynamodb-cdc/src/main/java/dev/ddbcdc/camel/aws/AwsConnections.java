package dev.ddbcdc.camel.aws;

import dev.ddbcdc.camel.flow.Closeables;
import dev.ddbcdc.camel.options.AwsOptions;
import dev.ddbcdc.camel.port.ExportPort;
import dev.ddbcdc.camel.port.ObjectStore;
import dev.ddbcdc.camel.port.ScanPort;
import dev.ddbcdc.camel.port.StreamProxy;
import dev.ddbcdc.camel.port.TablePort;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The AWS clients of one consumer and the ports over them. A client given in the options (a bean) is used as it is
 * and never closed here; otherwise one is built on first use from the options ({@link AwsClientFactory}), counting
 * its failed attempts, and closed with its credentials by {@link #close()}.
 */
public final class AwsConnections implements AutoCloseable {

    private final AwsOptions options;
    private final AwsAttemptMetrics attempts;
    private final DynamoDbClient givenDynamoDb;
    private final DynamoDbStreamsClient givenStreams;
    private final S3Client givenS3;
    private AwsCredentialsProvider credentials;
    private DynamoDbClient ownDynamoDb;
    private DynamoDbStreamsClient ownStreams;
    private S3Client ownS3;

    public AwsConnections(AwsOptions options, AwsAttemptMetrics attempts, DynamoDbClient dynamoDb,
                          DynamoDbStreamsClient streams, S3Client s3) {
        this.options = options;
        this.attempts = attempts;
        this.givenDynamoDb = dynamoDb;
        this.givenStreams = streams;
        this.givenS3 = s3;
    }

    public TablePort table() {
        return new SdkTablePort(dynamoDb());
    }

    public ScanPort scans() {
        return new SdkScanPort(dynamoDb());
    }

    public ExportPort exports() {
        return new SdkExportPort(dynamoDb());
    }

    /** The export's objects: the S3 client is built only when a snapshot asks for it. */
    public ObjectStore objects() {
        return new ObjectStore() {
            @Override
            public java.io.InputStream open(String bucket, String key, String etag) {
                return new SdkObjectStore(s3()).open(bucket, key, etag);
            }

            @Override
            public Boolean bucketExists(String bucket) {
                return new SdkObjectStore(s3()).bucketExists(bucket);
            }
        };
    }

    public StreamProxy stream() {
        return new SdkStreamProxy(streams());
    }

    /** The DynamoDB client: the given one, else one built from the options on first use (closed by {@link #close()}). */
    public synchronized DynamoDbClient dynamoDb() {
        if (givenDynamoDb != null) {
            return givenDynamoDb;
        }
        if (ownDynamoDb == null) {
            ownDynamoDb = new AwsClientFactory(options, attempts).dynamoDb(credentials());
        }
        return ownDynamoDb;
    }

    private synchronized DynamoDbStreamsClient streams() {
        if (givenStreams != null) {
            return givenStreams;
        }
        if (ownStreams == null) {
            ownStreams = new AwsClientFactory(options, attempts).streams(credentials());
        }
        return ownStreams;
    }

    private synchronized S3Client s3() {
        if (givenS3 != null) {
            return givenS3;
        }
        if (ownS3 == null) {
            ownS3 = new AwsClientFactory(options, attempts).s3(credentials());
        }
        return ownS3;
    }

    private AwsCredentialsProvider credentials() {
        if (credentials == null) {
            credentials = new AwsClientFactory(options).credentials();
        }
        return credentials;
    }

    /** Closes the clients built here and their credentials (an STS session); given clients stay open. */
    @Override
    public synchronized void close() {
        Closeables.closeQuietly(ownDynamoDb);
        Closeables.closeQuietly(ownStreams);
        Closeables.closeQuietly(ownS3);
        Closeables.closeQuietly(credentials);
        ownDynamoDb = null;
        ownStreams = null;
        ownS3 = null;
        credentials = null;
    }
}
