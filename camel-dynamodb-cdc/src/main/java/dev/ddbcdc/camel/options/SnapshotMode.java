package dev.ddbcdc.camel.options;

/**
 * How the consumer takes the snapshot of the table before it reads the stream ({@code snapshotMode}). When the option
 * is not set: {@link #EXPORT} if {@code exportS3Bucket} or {@code exportArn} is set, else {@link #NONE}
 * ({@link SnapshotModeRules#resolve}).
 */
public enum SnapshotMode {
    /** A point-in-time-recovery export to S3 ({@code exportS3Bucket}, or an existing one: {@code exportArn}). */
    EXPORT,
    /** A parallel Scan of the table ({@code scanSegments} segments, optionally within a read budget). */
    SCAN,
    /** No snapshot: the stream only, from {@code startPosition}. */
    NONE
}
