package dev.ddbcdc.localaws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The export emulator's time: the system clock (UTC) plus an offset that tests move forward with
 * {@link #advance(Duration)}, so that the emulated AWS lives minutes or days later than the wall clock without anyone
 * waiting. Everything the emulator dates reads it: point-in-time recovery windows (earliest and latest restorable
 * time), the write times of the changes it records for incremental exports, and the export times, start and end
 * times, and due times of exports. It never goes back. DynamoDB Local's own times (stream records, shard ages) are not
 * on this clock; {@link LocalAws#advanceClock(Duration)} also ages those.
 */
final class EmulatorClock extends Clock {

    private final Clock system;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    EmulatorClock(Clock system) {
        this.system = system;
    }

    /** Moves the clock forward by {@code by} (zero or positive). */
    void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("The emulator's clock only goes forward: " + by);
        }
        offset.accumulateAndGet(by, Duration::plus);
    }

    /** How far ahead of the system clock this clock is. */
    Duration offset() {
        return offset.get();
    }

    @Override
    public Instant instant() {
        return system.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same time in another zone (a view: it moves when this clock moves). */
    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        EmulatorClock utc = this;
        return new Clock() {
            @Override
            public Instant instant() {
                return utc.instant();
            }

            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return utc.withZone(other);
            }
        };
    }
}
