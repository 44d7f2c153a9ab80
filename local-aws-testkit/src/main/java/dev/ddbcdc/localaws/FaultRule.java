package dev.ddbcdc.localaws;

import java.util.Objects;
import java.util.Set;

/**
 * One rule of a {@link FaultInjectingFront}: which requests, what fault, and when: at a rate (each matching request
 * has that probability, drawn from the front's seeded random) or on a schedule (the Nth matching requests, counted
 * from 1 by this rule).
 *
 * @param matcher     which requests
 * @param fault       what is injected
 * @param rate        probability for each matching request (0 when the schedule decides)
 * @param schedule    numbers of the matching requests that get the fault (empty when the rate decides)
 * @param delayMillis for {@link Fault#SLOW_RESPONSE}: the delay before the request is forwarded
 */
public record FaultRule(RequestMatcher matcher, Fault fault, double rate, Set<Integer> schedule, long delayMillis) {

    public FaultRule {
        Objects.requireNonNull(matcher, "matcher");
        Objects.requireNonNull(fault, "fault");
        schedule = Set.copyOf(schedule);
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be in [0, 1], was " + rate);
        }
    }

    /** The fault on each matching request with probability {@code rate}. */
    public static FaultRule atRate(RequestMatcher matcher, Fault fault, double rate) {
        return new FaultRule(matcher, fault, rate, Set.of(), 0);
    }

    /** The fault on the given matching requests (1 is the first request this rule matches). */
    public static FaultRule onRequests(RequestMatcher matcher, Fault fault, Integer... numbers) {
        return new FaultRule(matcher, fault, 0, Set.of(numbers), 0);
    }

    /** The same rule with a delay (for {@link Fault#SLOW_RESPONSE}). */
    public FaultRule delayed(long millis) {
        return new FaultRule(matcher, fault, rate, schedule, millis);
    }
}
