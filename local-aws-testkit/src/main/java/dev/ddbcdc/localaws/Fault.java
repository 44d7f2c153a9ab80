package dev.ddbcdc.localaws;

/**
 * A fault the {@link FaultInjectingFront} can inject instead of (or before) forwarding a request. Errors are answered
 * in the shape AWS answers them, so that the AWS SDK classifies them the real way: for DynamoDB and DynamoDB Streams
 * (AWS JSON 1.0) a {@code {"__type":"<namespace>#<Name>","message":...}} body, for S3 an XML {@code <Error>} document.
 */
public enum Fault {
    /** DynamoDB {@code ProvisionedThroughputExceededException}, HTTP 400: a throttling error the SDK retries. */
    PROVISIONED_THROUGHPUT_EXCEEDED,
    /**
     * DynamoDB Streams {@code LimitExceededException}, HTTP 400: too many concurrent requests. Not in the SDK's list
     * of throttling codes, so the SDK does not retry it: it reaches the caller.
     */
    LIMIT_EXCEEDED,
    /**
     * Throttling: for JSON {@code com.amazon.coral.availability#ThrottlingException}, HTTP 400; for S3 the
     * {@code SlowDown} error, HTTP 503. The SDK treats both as throttling and retries them.
     */
    THROTTLING,
    /** {@code InternalServerError} (S3: {@code InternalError}), HTTP 500: the SDK retries it. */
    INTERNAL_SERVER_ERROR,
    /** {@code ServiceUnavailable}, HTTP 503: the SDK retries it. */
    SERVICE_UNAVAILABLE,
    /** The request is forwarded after a delay ({@link FaultRule#delayMillis()}): slow, not failed. */
    SLOW_RESPONSE,
    /** The request is read, then the connection is reset (TCP RST) without an answer: an I/O error the SDK retries. */
    CONNECTION_RESET,
    /** DynamoDB Streams {@code ExpiredIteratorException}, HTTP 400 (meant for GetRecords): not retried by the SDK. */
    EXPIRED_ITERATOR
}
