package dev.ddbcdc.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ddbcdc.camel.DynamoDbCdcConsumer;
import dev.ddbcdc.camel.checkpoint.JdbcStateRepository;
import dev.ddbcdc.camel.stream.ShardLineageTracker;
import dev.ddbcdc.camel.stream.ShardStatus;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.support.service.ServiceHelper;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * One member of the scale-out scenario, in a JVM of its own (as a pod is): the simulated stream of
 * {@code --shards} open shards (the same records in every member: the stream is made from its arguments alone),
 * read with {@code clusterMode=BUCKETS} into a route that sleeps {@code --routeMillis} per record, with its
 * checkpoints in the shared H2 database {@code --checkpoints} and its cluster service on the Kubernetes API
 * {@code --k8s} (pod {@code --pod}). Prints a {@code STATUS} line every 250 ms (buckets led, records delivered) and,
 * told {@code WINDOW <millis>} on its standard input, measures the records it delivers over that window (and the
 * reads and writes of its checkpoint store, its CPU time), then the used heap after full collections, and prints them
 * as its {@code RESULT}; {@code STOP} (or the end of its input) stops the route and the JVM.
 */
public final class ScaleOutMember {

    static final String WINDOW = "WINDOW";
    static final String STOP = "STOP";
    static final String CLUSTER_LABEL = "app";

    private ScaleOutMember() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String pod = args.get("pod");
        int routeMillis = (int) args.getLong("routeMillis");
        FakeStream stream = new FakeStream((int) args.getLong("shards"), 1, (int) args.getLong("recordsPerShard"), 0,
                Instant.ofEpochMilli(args.getLong("created")));
        CountingCheckpoints checkpoints = new CountingCheckpoints(new JdbcStateRepository(
                JdbcConnectionPool.create(args.get("checkpoints"), "sa", "")));
        ServiceHelper.startService(checkpoints);
        KubernetesConfiguration configuration = new KubernetesConfiguration();
        configuration.setMasterUrl(args.get("k8s"));
        configuration.setNamespace(args.get("k8sNamespace"));
        KubernetesClusterService cluster = new KubernetesClusterService(configuration);
        cluster.setId(pod);
        cluster.setPodName(pod);
        cluster.setClusterLabels(Map.of(CLUSTER_LABEL, args.get("clusterLabel")));
        cluster.setLeaseDurationMillis(args.getLong("leaseMillis"));
        cluster.setRenewDeadlineMillis(args.getLong("renewDeadlineMillis"));
        cluster.setRetryPeriodMillis(args.getLong("retryPeriodMillis"));
        String uri = "dynamodb-cdc:" + FakeTable.TABLE + "?region=us-east-1&dynamoDbClient=#table"
                     + "&dynamoDbStreamsClient=#streams&startPosition=TRIM_HORIZON&checkpointRepository=#checkpoints"
                     + "&clusterService=#cluster&" + args.get("options");
        AtomicInteger inRoute = new AtomicInteger();
        AtomicInteger maxInRoute = new AtomicInteger();
        try (CountingRoute route = new CountingRoute(uri, Long.MAX_VALUE, exchange -> {
            maxInRoute.accumulateAndGet(inRoute.incrementAndGet(), Math::max);
            try {
                Thread.sleep(routeMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inRoute.decrementAndGet();
            }
        })) {
            route.bind("table", new FakeTable()).bind("streams", stream).bind("checkpoints", checkpoints)
                    .bind("cluster", cluster);
            long before = HeapWatch.usedAfterFullGc();
            route.start();
            DynamoDbCdcConsumer consumer = route.consumer(DynamoDbCdcConsumer.class);
            Thread status = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("buckets", consumer.getBucketsLed().size());
                    line.put("records", route.count());
                    line.put("phase", String.valueOf(consumer.getPhase()));
                    line.put("shardsReading", consumer.getShardsReading());
                    ChildJvm.printStatus(line);
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "member-status");
            status.setDaemon(true);
            status.start();
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = commands.readLine()) != null && !command.equals(STOP)) {
                if (command.startsWith(WINDOW + " ")) {
                    long millis = Long.parseLong(command.substring(WINDOW.length() + 1).trim());
                    ChildJvm.printResult(window(route, consumer, checkpoints, millis, before, maxInRoute));
                } else {
                    System.err.println("Unknown command " + command);
                }
            }
            status.interrupt();
        }
        System.exit(0);
    }

    /** Records delivered over {@code millis}, the buckets led at its start and end, then the heap. */
    private static Map<String, Object> window(CountingRoute route, DynamoDbCdcConsumer consumer,
                                              CountingCheckpoints checkpoints, long millis, long heapBefore,
                                              AtomicInteger maxInRoute) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean();
        List<String> bucketsAtStart = List.copyOf(consumer.getBucketsLed());
        maxInRoute.set(0);
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        long countAtStart = route.count();
        long readsAtStart = checkpoints.reads.get();
        long writesAtStart = checkpoints.writes.get();
        Thread.sleep(millis);
        long countAtEnd = route.count();
        long reads = checkpoints.reads.get() - readsAtStart;
        long writes = checkpoints.writes.get() - writesAtStart;
        long end = System.nanoTime();
        long cpuEnd = os.getProcessCpuTime();
        List<String> bucketsAtEnd = List.copyOf(consumer.getBucketsLed());
        List<String> shardsReading = consumer.getShards().stream()
                .filter(s -> s.state() == ShardLineageTracker.State.READING).map(ShardStatus::shardId).toList();
        long shardsCounted = consumer.getShardsReading();
        int most = maxInRoute.get();
        long after = HeapWatch.usedAfterFullGc();
        Map<String, Object> result = new LinkedHashMap<>();
        double seconds = (end - start) / 1e9;
        result.put("records", countAtEnd - countAtStart);
        result.put("recordsPerSecond", (countAtEnd - countAtStart) / seconds);
        result.put("bucketsAtStart", bucketsAtStart);
        result.put("bucketsAtEnd", bucketsAtEnd);
        result.put("shardsReading", shardsReading);
        result.put("shardsReadingCount", shardsCounted);
        result.put("maxInRoute", most);
        result.put("checkpointReadsPerSecond", reads / seconds);
        result.put("checkpointWritesPerSecond", writes / seconds);
        result.put("cpuShare", (cpuEnd - cpuStart) / 1e9 / seconds);
        result.put("heapUsedMb", after / 1024.0 / 1024.0);
        result.put("heapHeldMb", (after - heapBefore) / 1024.0 / 1024.0);
        result.put("deliveredInAll", route.count());
        return result;
    }
}
