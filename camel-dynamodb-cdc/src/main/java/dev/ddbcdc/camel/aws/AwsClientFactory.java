package dev.ddbcdc.camel.aws;

import java.net.URI;
import java.util.Map;

import dev.ddbcdc.camel.options.AwsOptions;
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

    private final AwsOptions options;
    private final AwsAttemptMetrics attempts;

    public AwsClientFactory(AwsOptions options) {
        this(options, null);
    }

    /** With {@code attempts}, the DynamoDB, Streams and S3 clients built here count their failed attempts there. */
    public AwsClientFactory(AwsOptions options, AwsAttemptMetrics attempts) {
        this.options = options;
        this.attempts = attempts;
    }

    /** The region: the region option, else the table ARN's, else {@code null} (the SDK's default chain). */
    public Region region() {
        String arnRegion = TableReference.parse(options.table()).arnRegion();
        String option = options.region();
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
        Region region = options.exportS3Region() != null ? Region.of(options.exportS3Region())
                : region();
        if (region != null) {
            builder.region(region);
        }
        if (options.s3UriEndpointOverride() != null) {
            builder.endpointOverride(endpointOverride("s3UriEndpointOverride", options.s3UriEndpointOverride()))
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
        if (options.uriEndpointOverride() != null) {
            builder.endpointOverride(endpointOverride("uriEndpointOverride", options.uriEndpointOverride()));
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
        if (options.stsRoleArn() == null) {
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
        if (options.stsUriEndpointOverride() != null) {
            builder.endpointOverride(endpointOverride("stsUriEndpointOverride", options.stsUriEndpointOverride()));
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
        AssumeRoleRequest.Builder request = AssumeRoleRequest.builder().roleArn(options.stsRoleArn())
                .roleSessionName(options.stsRoleSessionName()).externalId(options.stsExternalId());
        Map<String, Object> headers = options.stsHeaderOverrides();
        if (!headers.isEmpty()) {
            request.overrideConfiguration(o -> headers.forEach((name, value) -> o.putHeader(name, String.valueOf(value))));
        }
        return request.build();
    }

    private AwsCredentialsProvider sourceCredentials() {
        if (options.accessKey() != null) {
            if (options.sessionToken() != null) {
                return StaticCredentialsProvider.create(AwsSessionCredentials.create(options.accessKey(),
                        options.secretKey(), options.sessionToken()));
            }
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(options.accessKey(), options.secretKey()));
        }
        if (options.profileCredentialsName() != null) {
            return ProfileCredentialsProvider.create(options.profileCredentialsName());
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
