package dev.ddbcdc.camel.stream;

import dev.ddbcdc.camel.port.AwsErrors;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;

/**
 * What a failed DynamoDB Streams call means for a shard reader. Throttling is recognised as for every AWS call
 * ({@link AwsErrors}); the rest is particular to streams.
 */
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
        if (AwsErrors.isThrottling(error)) {
            return THROTTLED;
        }
        return OTHER;
    }
}
