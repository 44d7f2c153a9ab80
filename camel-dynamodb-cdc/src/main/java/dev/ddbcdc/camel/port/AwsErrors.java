package dev.ddbcdc.camel.port;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;

/**
 * What a failed AWS call through any port means for its caller, whatever the service: throttled, or worth retrying.
 * What a stream error means for a shard reader (an expired iterator, trimmed records) is the stream package's.
 */
public final class AwsErrors {

    private AwsErrors() {
    }

    /** AWS asked the caller to slow down: back off with jitter and retry. */
    public static boolean isThrottling(Throwable error) {
        return error instanceof LimitExceededException || error instanceof ProvisionedThroughputExceededException
               || error instanceof RequestLimitExceededException
               || error instanceof AwsServiceException && ((AwsServiceException) error).isThrottlingException();
    }

    /** A throttle, or an error the SDK marks retryable (5xx, a connection reset): retrying later may succeed. */
    public static boolean isRetryable(Throwable error) {
        return isThrottling(error) || error instanceof SdkException && ((SdkException) error).retryable();
    }
}
