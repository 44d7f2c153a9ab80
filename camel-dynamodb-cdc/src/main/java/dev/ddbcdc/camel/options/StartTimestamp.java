package dev.ddbcdc.camel.options;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The {@code startTimestamp} option of {@link StartPosition#AT_TIMESTAMP}: an ISO-8601 instant such as
 * {@code 2026-12-01T08:00:00Z} (an offset such as {@code +01:00} instead of {@code Z} is fine), or epoch
 * milliseconds.
 */
public final class StartTimestamp {

    private StartTimestamp() {
    }

    /** Checks how the start position and the timestamp go together; returns the epoch millis, or -1 without one. */
    public static long check(StartPosition startPosition, String startTimestamp, boolean snapshot) {
        boolean atTimestamp = startPosition == StartPosition.AT_TIMESTAMP;
        if (startTimestamp == null || startTimestamp.isBlank()) {
            if (atTimestamp) {
                throw new IllegalArgumentException("startPosition=AT_TIMESTAMP needs startTimestamp: the time to start"
                                                   + " from, e.g. 2026-12-01T08:00:00Z or epoch milliseconds");
            }
            return StreamOptions.NO_START_TIMESTAMP;
        }
        if (!atTimestamp) {
            throw new IllegalArgumentException("startTimestamp is set, but startPosition is " + startPosition
                                               + ": set startPosition=AT_TIMESTAMP to start from that time");
        }
        if (snapshot) {
            throw new IllegalArgumentException("startPosition=AT_TIMESTAMP does not go with a snapshot (snapshotMode"
                                               + " SCAN or EXPORT, exportS3Bucket or exportArn): the stream then"
                                               + " starts where the snapshot hands over, at its start time minus"
                                               + " streamOverlap");
        }
        return parse(startTimestamp.trim());
    }

    private static long parse(String text) {
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw notATime(text);
            }
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException again) {
                throw notATime(text);
            }
        }
    }

    private static IllegalArgumentException notATime(String text) {
        return new IllegalArgumentException("startTimestamp '" + text + "' is not a time: give an ISO-8601 instant"
                                            + " with its offset, e.g. 2026-12-01T08:00:00Z, or epoch milliseconds");
    }
}
