package dev.ddbcdc.camel.stream;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;

/** What a failed DynamoDB Streams call means for a shard reader. The one place that maps SDK errors. */
public enum StreamErrors {
    /** The iterator is older than 15 minutes: get a new one after the last record read. */
    EXPIRED_ITERATOR,
    /** The position is older than the retention: records not yet read are gone. */
    TRIMMED,
    /** The shard no longer exists (trimmed away entirely, or the stream was disabled). */
    SHARD_GONE,
    /** Throttled: back off with jitter and retry. */
    THROTTLED,
    /** Anything else (5xx, network, transient 4xx): back off with jitter, retry, and count it. */
    OTHER;

    public static StreamErrors classify(Throwable error) {
        if (error instanceof ExpiredIteratorException) {
            return EXPIRED_ITERATOR;
        }
        if (error instanceof TrimmedDataAccessException) {
            return TRIMMED;
        }
        if (error instanceof ResourceNotFoundException) {
            return SHARD_GONE;
        }
        if (error instanceof LimitExceededException || error instanceof ProvisionedThroughputExceededException
            || error instanceof RequestLimitExceededException
            || error instanceof AwsServiceException && ((AwsServiceException) error).isThrottlingException()) {
            return THROTTLED;
        }
        return OTHER;
    }
}
