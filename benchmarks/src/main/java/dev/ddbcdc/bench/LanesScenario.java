package dev.ddbcdc.bench;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ddbcdc.camel.DynamoDbCdcConstants;
import dev.ddbcdc.localaws.LocalAws;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Scenario 6, lanes per shard: one shard of a simulated stream holding changes of a few hundred items in turn, read
 * from the oldest record into a route that costs {@value #ROUTE_MILLIS} ms per change (a sleep, like a slow HTTP
 * call), with {@code lanesPerShard=4} against one lane, alternating, in the same run. Every run checks per-key order
 * in the route: a change of an item that arrives while another change of it is still in the route, or whose sequence
 * number is not above the last one seen of the item, fails the scenario.
 */
final class LanesScenario implements Scenario {

    static final int ROUTE_MILLIS = 5;
    static final int LANES = 4;

    @Override
    public String id() {
        return "lanes";
    }

    @Override
    public boolean needsLocalAws() {
        return false;
    }

    @Override
    public ScenarioResult run(LocalAws aws, Scale scale) throws Exception {
        int changes = scale.laneChanges();
        int keys = scale.laneKeys();
        // one unmeasured run of each first: class loading, the first JIT
        run(LANES, Math.min(changes, 400), keys, null);
        run(1, Math.min(changes, 200), keys, null);
        Samples oneLane = new Samples();
        Samples lanes = new Samples();
        Samples concurrency = new Samples();
        Samples oneLaneConcurrency = new Samples();
        Samples threads = new Samples();
        for (int rep = 0; rep < scale.repetitions(); rep++) {
            Run one = run(1, changes, keys, null);
            Run four = run(LANES, changes, keys, null);
            oneLane.add(one.recordsPerSecond);
            oneLaneConcurrency.add(one.maxInRoute);
            lanes.add(four.recordsPerSecond);
            concurrency.add(four.maxInRoute);
            threads.add(four.routeThreads);
            System.err.printf(Locale.ROOT, "  lanes run %d: 1 lane %.0f, %d lanes %.0f records/s (at most %d in the"
                    + " route at once)%n", rep + 1, one.recordsPerSecond, LANES, four.recordsPerSecond,
                    four.maxInRoute);
        }
        int[] perLane = laneLoads(changes, keys, LANES);
        int largest = java.util.Arrays.stream(perLane).max().orElse(0);
        String name = "6. Lanes per shard";
        ScenarioResult result = new ScenarioResult(name, String.format(Locale.ROOT,
                "One shard of a simulated stream (the fake behind the SDK's DynamoDbStreamsClient) holding %,d changes"
                + " of %d items in turn (first an INSERT, then MODIFYs and, one change in five, a REMOVE), read from"
                + " the oldest"
                + " record into a route that sleeps %d ms per change; lanesPerShard=%d against lanesPerShard=1"
                + " (otherwise defaults: maxConcurrentShards=4, so a pool of %d lane threads, of which one shard uses"
                + " %d; in-memory checkpoints; acknowledgments on), alternating, after one unmeasured run of each."
                + " Timed from the route's start to its last change. The route checks per-key order in every run: a"
                + " change of an item while another of it is in the route, or a sequence number not above the item's"
                + " last, fails the scenario; none did.", changes, keys, ROUTE_MILLIS, LANES, LANES * 4, LANES));
        result.figure(new Figure(name, "records/s, lanesPerShard=" + LANES, "records/s", lanes, "lanesPerShard=1",
                oneLane, Target.ratioAtLeast(3.5), ROUTE_MILLIS + " ms route per change, one shard"));
        result.figure(new Figure(name, "changes in the route at once, lanesPerShard=" + LANES, "changes",
                concurrency, "lanesPerShard=1", oneLaneConcurrency, Target.none(), "the most seen at one time"));
        result.note(String.format(Locale.ROOT, "The ceiling of one lane is %d changes/s (one change per %d ms);"
                + " of %d lanes, %s. The records go to lanes by the hash of their key attributes (as the consumer"
                + " assigns them today): the largest of the %d"
                + " lanes holds %,d of the %,d changes (an even share: %s), so the %d-lane run takes at least"
                + " %.2f s, at most %s changes/s.", 1000 / ROUTE_MILLIS, ROUTE_MILLIS, LANES, Format.number(1000.0 / ROUTE_MILLIS
                * LANES) + " changes/s", LANES, largest, changes, Format.number(changes / (double) LANES), LANES,
                largest * ROUTE_MILLIS / 1000.0, Format.number(changes / (largest * ROUTE_MILLIS / 1000.0))));
        result.note(String.format(Locale.ROOT, "Threads the route ran on with %d lanes: %s.", LANES,
                Format.samples(threads)));
        result.note("Per-key order: no change of an item overtook or overlapped another of the same item, in any run"
                    + " (warm-up included).");
        return result;
    }

    /** How many of the changes each lane gets, as the consumer assigns them (the hash of the key attributes). */
    static int[] laneLoads(int changes, int keys, int lanes) {
        int[] loads = new int[lanes];
        for (int i = 0; i < changes; i++) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(FakeStream.keyOf(i, keys)));
            loads[Math.floorMod(key.hashCode(), lanes)]++;
        }
        return loads;
    }

    /** One measured run: records/s, and the most changes that were in the route at the same time. */
    record Run(double recordsPerSecond, int maxInRoute, int routeThreads) {
    }

    /** What the route saw of one item: the last sequence number, and whether a change of it is in the route. */
    private static final class KeyState {
        BigInteger last = BigInteger.valueOf(-1);
        boolean inRoute;
        int changes;
    }

    /**
     * Reads {@code changes} changes of {@code keys} items from one shard with {@code lanes} lanes into a route that
     * sleeps {@value #ROUTE_MILLIS} ms per change. Throws if per-key order was violated or a change is missing.
     */
    static Run run(int lanes, int changes, int keys, String extraOptions) throws Exception {
        FakeStream stream = new FakeStream(1, 1, changes, keys);
        String uri = "dynamodb-cdc:" + FakeTable.TABLE + "?region=us-east-1&dynamoDbClient=#table"
                     + "&dynamoDbStreamsClient=#streams&startPosition=TRIM_HORIZON&lanesPerShard=" + lanes
                     + (extraOptions == null ? "" : "&" + extraOptions);
        Map<String, KeyState> seen = new ConcurrentHashMap<>();
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inRoute = new AtomicInteger();
        AtomicInteger maxInRoute = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (CountingRoute route = new CountingRoute(uri, changes, exchange -> {
            String key = exchange.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class);
            BigInteger sequence = new BigInteger(
                    exchange.getMessage().getHeader(DynamoDbCdcConstants.SEQUENCE_NUMBER, String.class));
            KeyState state = seen.computeIfAbsent(key, k -> new KeyState());
            synchronized (state) {
                if (state.inRoute) {
                    violations.add("change " + sequence + " of " + key + " entered the route while another change of"
                                   + " it was still there");
                }
                if (sequence.compareTo(state.last) <= 0) {
                    violations.add("change " + sequence + " of " + key + " came after " + state.last);
                }
                state.inRoute = true;
                state.last = sequence;
                state.changes++;
            }
            threads.add(Thread.currentThread().getName());
            maxInRoute.accumulateAndGet(inRoute.incrementAndGet(), Math::max);
            try {
                Thread.sleep(ROUTE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inRoute.decrementAndGet();
                synchronized (state) {
                    state.inRoute = false;
                }
            }
        })) {
            route.bind("table", new FakeTable()).bind("streams", stream).start();
            if (!route.await(10 * 60_000L)) {
                throw new IllegalStateException("lanesPerShard=" + lanes + ": the consumer delivered " + route.count()
                                                + " of " + changes);
            }
            double seconds = route.secondsToExpected();
            check(lanes, changes, keys, seen, violations, route.count());
            return new Run(changes / seconds, maxInRoute.get(), threads.size());
        }
    }

    private static void check(int lanes, int changes, int keys, Map<String, KeyState> seen, List<String> violations,
                              long delivered) {
        if (!violations.isEmpty()) {
            throw new IllegalStateException("PER-KEY ORDER VIOLATED with lanesPerShard=" + lanes + ": "
                                            + violations.size() + " violations, the first: "
                                            + violations.subList(0, Math.min(5, violations.size())));
        }
        if (delivered != changes || seen.size() != Math.min(keys, changes)) {
            throw new IllegalStateException("lanesPerShard=" + lanes + ": " + delivered + " changes of " + seen.size()
                                            + " items delivered, expected " + changes + " of " + keys);
        }
        for (Map.Entry<String, KeyState> entry : seen.entrySet()) {
            int index = Integer.parseInt(entry.getKey().substring("item-".length()));
            int expected = changes / keys + (index < changes % keys ? 1 : 0);
            if (entry.getValue().changes != expected) {
                throw new IllegalStateException("lanesPerShard=" + lanes + ": " + entry.getKey() + " got "
                                                + entry.getValue().changes + " changes, expected " + expected);
            }
        }
    }
}
