package dev.ddbcdc.camel.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ddbcdc.camel.DynamoDbCdcConstants;
import dev.ddbcdc.camel.DynamoDbCdcConsumer;
import dev.ddbcdc.camel.crash.CrashChild;
import dev.ddbcdc.camel.crash.DurableSink;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * One member of a cluster test, in a JVM of its own: a clustered {@code dynamodb-cdc:} route
 * ({@code clusterService=#cluster}, checkpoints in a shared {@code FencedStateRepository}) into a {@link DurableSink}
 * of its own. Every exchange's sink line carries the member id and the wall time of the delivery.
 * <p>
 * It reports its consumer's state into a status file ({@link MemberStatus}): a line whenever phase, leadership, epoch,
 * the count of refused checkpoint writes or what it leads ({@code getBucketsLed()}: with {@code clusterMode=BUCKETS}
 * its buckets and the snapshot, with standby {@code consumer}) changes (looked at every 5 ms). With a hold file given,
 * a stream record arriving while that file exists is held in the route (before its sink line is written) until the
 * file is gone, and a {@code HELD <shard> <sequence number>} line names it: the test can so stall the leader with an
 * exchange in flight.
 * <p>
 * Arguments, {@code name=value}: {@code id}, {@code uri} (without the cluster options), {@code sink}, {@code status},
 * {@code cluster} ({@code zookeeper:<connect string>:<session timeout ms>}, {@code filelock:<directory>} or
 * {@code kubernetes:<master URL>|<namespace>|<lease ms>|<renew deadline ms>|<retry period ms>}, Pod name
 * {@code member-<id>}, see {@link KubernetesCluster}),
 * {@code store} ({@link CheckpointStore#describe()}), optionally {@code hold}. Prints {@link #STARTED} once the
 * route started (in STANDBY or leading), then runs until killed; SIGTERM stops it in order.
 */
public final class ClusterChild {

    static final String STARTED = "CLUSTER-CHILD-STARTED";

    private ClusterChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> arg = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            arg.put(a.substring(0, eq), a.substring(eq + 1));
        }
        int id = Integer.parseInt(arg.get("id"));
        DurableSink sink = new DurableSink(Path.of(arg.get("sink")));
        Path status = Path.of(arg.get("status"));
        Path hold = arg.containsKey("hold") ? Path.of(arg.get("hold")) : null;

        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("cluster", clusterService(arg.get("cluster"), id));
        context.getRegistry().bind("checkpoints", CheckpointStore.open(arg.get("store")));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(arg.get("uri") + "&clusterService=#cluster").routeId("cdc").process(exchange -> {
                    if (hold != null && Files.exists(hold)
                        && exchange.getMessage().getHeader(DynamoDbCdcConstants.SHARD_ID) != null) {
                        report(status, "HELD " + exchange.getMessage().getHeader(DynamoDbCdcConstants.SHARD_ID) + " "
                                       + exchange.getMessage().getHeader(DynamoDbCdcConstants.SEQUENCE_NUMBER));
                        while (Files.exists(hold)) {
                            Thread.sleep(2);
                        }
                    }
                    sink.append(CrashChild.lineOf(id, exchange));
                });
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(context::stop));
        context.start();
        DynamoDbCdcConsumer consumer = (DynamoDbCdcConsumer) context.getRoute("cdc").getConsumer();
        Thread reporter = new Thread(() -> reportChanges(consumer, status), "status-reporter");
        reporter.setDaemon(true);
        reporter.start();
        System.out.println(STARTED);
        System.out.flush();
        Thread.currentThread().join();
    }

    static CamelClusterService clusterService(String spec, int id) {
        String[] f = spec.split(":", 2);
        if ("zookeeper".equals(f[0])) {
            int last = f[1].lastIndexOf(':');
            ZooKeeperClusterService service = new ZooKeeperClusterService();
            service.setId("member-" + id);
            service.setNodes(f[1].substring(0, last));
            service.setBasePath("/dynamodb-cdc");
            long sessionTimeout = Long.parseLong(f[1].substring(last + 1));
            service.setSessionTimeout(sessionTimeout);
            service.setConnectTimeout(sessionTimeout);
            return service;
        }
        if ("filelock".equals(f[0])) {
            FileLockClusterService service = new FileLockClusterService();
            service.setId("member-" + id);
            service.setRoot(f[1]);
            service.setAcquireLockDelay(10, TimeUnit.MILLISECONDS);
            service.setAcquireLockInterval(100, TimeUnit.MILLISECONDS);
            return service;
        }
        if ("kubernetes".equals(f[0])) {
            // its elections in the member's log (Leases taken, given up and lost) and the rebalancing's decisions
            Configurator.setLevel("org.apache.camel.component.kubernetes.cluster", Level.INFO);
            Configurator.setLevel("org.apache.camel.support.cluster.RebalancingCamelClusterService", Level.DEBUG);
            return KubernetesCluster.service(f[1], id);
        }
        throw new IllegalArgumentException("Unknown cluster service " + spec);
    }

    private static void reportChanges(DynamoDbCdcConsumer consumer, Path status) {
        String last = null;
        while (true) {
            String units = String.join(",", consumer.getBucketsLed());
            String now = consumer.getPhase() + " " + consumer.isLeader() + " " + consumer.getEpoch() + " "
                         + consumer.getRefusedCheckpointWrites() + " " + (units.isEmpty() ? MemberStatus.NONE : units);
            if (!now.equals(last)) {
                report(status, "STATE " + now);
                last = now;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Appends {@code <wall time micros> <what>} to the status file in one write call. */
    static synchronized void report(Path status, String what) {
        Instant now = Instant.now();
        String line = (now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000) + " " + what + "\n";
        try {
            Files.writeString(status, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
