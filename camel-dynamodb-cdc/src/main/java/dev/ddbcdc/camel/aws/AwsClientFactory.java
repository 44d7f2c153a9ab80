package dev.ddbcdc.camel.aws;

import java.net.URI;
import java.util.Map;

import dev.ddbcdc.camel.DynamoDbCdcConfiguration;
import dev.ddbcdc.camel.TableReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * Builds the AWS clients an endpoint needs from its options. Credentials, in this order: accessKey/secretKey
 * (with sessionToken), profileCredentialsName, else the SDK's default chain; stsRoleArn then assumes a role with
 * those as the source identity. Secrets are handed to the SDK only, never logged.
 */
public final class AwsClientFactory {

    private final DynamoDbCdcConfiguration configuration;
    private final AwsAttemptMetrics attempts;

    public AwsClientFactory(DynamoDbCdcConfiguration configuration) {
        this(configuration, null);
    }

    /** With {@code attempts}, the DynamoDB, Streams and S3 clients built here count their failed attempts there. */
    public AwsClientFactory(DynamoDbCdcConfiguration configuration, AwsAttemptMetrics attempts) {
        this.configuration = configuration;
        this.attempts = attempts;
    }

    /** The region: the region option, else the table ARN's, else {@code null} (the SDK's default chain). */
    public Region region() {
        String arnRegion = TableReference.parse(configuration.getTable()).arnRegion();
        String option = configuration.getRegion();
        if (option != null && arnRegion != null && !option.equals(arnRegion)) {
            throw new IllegalArgumentException("The table ARN names region " + arnRegion + " but the region option is "
                                               + option + "; a table can only be read in its own region");
        }
        String region = option != null ? option : arnRegion;
        return region != null ? Region.of(region) : null;
    }

    public DynamoDbClient dynamoDb(AwsCredentialsProvider credentials) {
        return configure(DynamoDbClient.builder(), credentials).build();
    }

    public DynamoDbStreamsClient streams(AwsCredentialsProvider credentials) {
        return configure(DynamoDbStreamsClient.builder(), credentials).build();
    }

    /**
     * The S3 client that reads the export: in exportS3Region, else the table's region; s3UriEndpointOverride (with
     * path-style addressing, as local S3 implementations need) instead of AWS's endpoint.
     */
    public S3Client s3(AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder().credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder());
        if (attempts != null) {
            builder.overrideConfiguration(o -> o.addMetricPublisher(attempts));
        }
        Region region = configuration.getExportS3Region() != null ? Region.of(configuration.getExportS3Region())
                : region();
        if (region != null) {
            builder.region(region);
        }
        if (configuration.getS3UriEndpointOverride() != null) {
            builder.endpointOverride(endpointOverride("s3UriEndpointOverride", configuration.getS3UriEndpointOverride()))
                    .forcePathStyle(true);
        }
        return builder.build();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsCredentialsProvider credentials) {
        builder.credentialsProvider(credentials);
        if (attempts != null) {
            builder.overrideConfiguration(o -> o.addMetricPublisher(attempts));
        }
        Region region = region();
        if (region != null) {
            builder.region(region);
        }
        if (configuration.getUriEndpointOverride() != null) {
            builder.endpointOverride(endpointOverride("uriEndpointOverride", configuration.getUriEndpointOverride()));
        }
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder) {
            ((software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?>) builder)
                    .httpClientBuilder(ApacheHttpClient.builder());
        }
        return builder;
    }

    static URI endpointOverride(String option, String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " '" + value + "' is not a URI", e);
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    option + " must be an absolute URI such as https://host:port, was '" + value + "'");
        }
        return uri;
    }

    /** The credentials provider the options describe. The caller closes it if it is {@link AutoCloseable}. */
    public AwsCredentialsProvider credentials() {
        AwsCredentialsProvider source = sourceCredentials();
        if (configuration.getStsRoleArn() == null) {
            return source;
        }
        StsClient sts = sts(source);
        StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(assumeRoleRequest()).build();
        return new AssumedRoleCredentials(assumed, sts);
    }

    /**
     * The STS client that assumes stsRoleArn: AWS's regional STS endpoint of the table's region, or
     * stsUriEndpointOverride; never uriEndpointOverride (that one is DynamoDB's).
     */
    StsClient sts(AwsCredentialsProvider source) {
        StsClientBuilder builder = StsClient.builder().credentialsProvider(source)
                .httpClientBuilder(ApacheHttpClient.builder());
        Region region = region();
        if (region != null) {
            builder.region(region);
        }
        if (configuration.getStsUriEndpointOverride() != null) {
            builder.endpointOverride(endpointOverride("stsUriEndpointOverride", configuration.getStsUriEndpointOverride()));
        }
        return builder.build();
    }

    /** Assumed-role credentials that close their STS client with them. */
    private record AssumedRoleCredentials(StsAssumeRoleCredentialsProvider provider, StsClient sts)
            implements AwsCredentialsProvider, AutoCloseable {
        @Override
        public AwsCredentials resolveCredentials() {
            return provider.resolveCredentials();
        }

        @Override
        public void close() {
            provider.close();
            sts.close();
        }
    }

    AssumeRoleRequest assumeRoleRequest() {
        AssumeRoleRequest.Builder request = AssumeRoleRequest.builder().roleArn(configuration.getStsRoleArn())
                .roleSessionName(configuration.getStsRoleSessionName()).externalId(configuration.getStsExternalId());
        Map<String, Object> headers = configuration.getStsHeaderOverrides();
        if (!headers.isEmpty()) {
            request.overrideConfiguration(o -> headers.forEach((name, value) -> o.putHeader(name, String.valueOf(value))));
        }
        return request.build();
    }

    private AwsCredentialsProvider sourceCredentials() {
        if (configuration.getAccessKey() != null) {
            if (configuration.getSessionToken() != null) {
                return StaticCredentialsProvider.create(AwsSessionCredentials.create(configuration.getAccessKey(),
                        configuration.getSecretKey(), configuration.getSessionToken()));
            }
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(configuration.getAccessKey(), configuration.getSecretKey()));
        }
        if (configuration.getProfileCredentialsName() != null) {
            return ProfileCredentialsProvider.create(configuration.getProfileCredentialsName());
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
