package dev.ddbcdc.camel.flow;

import java.time.Duration;

/** DynamoDB Streams keeps a record for 24 hours; older records are trimmed. */
public final class StreamRetention {

    public static final Duration RETENTION = Duration.ofHours(24);

    private StreamRetention() {
    }

    /** Whether records created at {@code fromMillis} may already be trimmed at {@code nowMillis}. */
    public static boolean mayBeTrimmed(long fromMillis, long nowMillis) {
        return nowMillis - fromMillis >= RETENTION.toMillis();
    }
}
