package dev.ddbcdc.camel.aws;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Counts the HTTP attempts of the consumer's own AWS clients that failed, by the SDK's own error type, including
 * those the SDK then retried successfully. The component's error counters see a call only when it fails after the
 * SDK's retries; a throttle or a 500 the SDK absorbed shows up here only. Read by the Micrometer meters
 * ({@code camel.dynamodb.cdc.aws.attempts.failed}). Clients passed in by the user are not counted.
 */
public final class AwsAttemptMetrics implements MetricPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(AwsAttemptMetrics.class);

    /** Throttling errors (e.g. ProvisionedThroughputExceeded, ThrottlingException, S3 SlowDown, HTTP 429). */
    public final AtomicLong throttling = new AtomicLong();
    /** HTTP 5xx answers. */
    public final AtomicLong serverError = new AtomicLong();
    /** No answer: connection refused or reset, answer cut short. */
    public final AtomicLong io = new AtomicLong();
    /** An attempt or call timeout configured on the client. */
    public final AtomicLong timeout = new AtomicLong();
    /** Other error answers (4xx such as ExpiredIterator, LimitExceeded, ResourceNotFound). */
    public final AtomicLong other = new AtomicLong();

    @Override
    public void publish(MetricCollection call) {
        int attempts = call.children().size();
        int number = 0;
        for (MetricCollection attempt : call.children()) {
            number++;
            for (String errorType : attempt.metricValues(CoreMetric.ERROR_TYPE)) {
                Integer status = attempt.metricValues(HttpMetric.HTTP_STATUS_CODE).stream().findFirst().orElse(null);
                String type = type(errorType, status);
                counter(type).incrementAndGet();
                if (LOG.isDebugEnabled()) {
                    LOG.debug("AWS {} {} attempt {} failed ({}, HTTP {}){}", first(call, CoreMetric.SERVICE_ID),
                            first(call, CoreMetric.OPERATION_NAME), number, type, status == null ? "-" : status,
                            number < attempts ? "; the SDK retried it" : "");
                }
            }
        }
    }

    /**
     * The SDK's error type ({@code SdkErrorType}: Throttling, ServerError, ConfiguredTimeout, IO, Other) made precise
     * with the HTTP status: the SDK calls every error answer that is not throttling "ServerError", 4xx included, and
     * a reset connection may come wrapped as "Other".
     */
    static String type(String errorType, Integer status) {
        if ("Throttling".equals(errorType)) {
            return "throttling";
        }
        if ("ConfiguredTimeout".equals(errorType)) {
            return "timeout";
        }
        if (status != null && status >= 500) {
            return "server_error";
        }
        if (status != null) {
            return "other";
        }
        return "IO".equals(errorType) || "Other".equals(errorType) ? "io" : "other";
    }

    private AtomicLong counter(String type) {
        switch (type) {
            case "throttling":
                return throttling;
            case "server_error":
                return serverError;
            case "io":
                return io;
            case "timeout":
                return timeout;
            default:
                return other;
        }
    }

    private static String first(MetricCollection call, software.amazon.awssdk.metrics.SdkMetric<String> metric) {
        return call.metricValues(metric).stream().findFirst().orElse("?");
    }

    public long total() {
        return throttling.get() + serverError.get() + io.get() + timeout.get() + other.get();
    }

    @Override
    public void close() {
        // nothing held
    }
}
