package dev.ddbcdc.camel.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ddbcdc.camel.aws.SdkObjectStore;
import dev.ddbcdc.camel.event.AttributeValues;
import dev.ddbcdc.camel.export.DataFile;
import dev.ddbcdc.camel.export.ExportManifest;
import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crashes: the consumer runs in a child JVM ({@link CrashChild}) with a FileCheckpointRepository and a durable sink, and
 * is killed with SIGKILL at seeded random points during the snapshot and during the stream while a writer keeps
 * changing the table, then restarted on the same files; the stream's shards roll over while it is dead. After the last
 * kill a clean run catches up, and {@link CrashAudit} checks that nothing was lost, per-key order held, only
 * unacknowledged work came again, and the sink equals the table.
 * <p>
 * The normal run makes {@value #KILLS} kills (about a minute). {@code -Dreliability.soak=true} makes
 * {@code reliability.crash.kills} (default 150) with a larger table and a longer stream;
 * {@code -Dreliability.crash.seed=<n>} repeats a given scenario (the seed is printed).
 */
public class CrashTest {

    static final int KILLS = 20;
    /** The consumer's default: at most this many shards are read, each with one exchange in flight at a time. */
    static final int MAX_CONCURRENT_SHARDS = 4;
    static final String TABLE = "crashes";
    static final String BUCKET = "crash";
    static final boolean SOAK = Boolean.getBoolean("reliability.soak");

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();

    /** A kill in the snapshot comes after up to this many more lines reached the sink. */
    static final int SNAPSHOT_KILL_LINES = 300;

    @TempDir
    Path dir;

    /** The scenario's size. */
    record Plan(long seed, int kills, int snapshotKills, int items, int keys, double writesPerSecond,
                int maxSnapshotKillDelayMillis, int maxStreamKillDelayMillis) {
        static Plan of(long seed) {
            if (SOAK) {
                int kills = Integer.getInteger("reliability.crash.kills", 150);
                return new Plan(seed, kills, kills / 4, 20_000, 25_000, 60, 2500, 1500);
            }
            return new Plan(seed, KILLS, 6, 2500, 2800, 40, 1000, 500);
        }
    }

    @Test
    void everyChangeSurvivesKillsDuringTheSnapshotAndTheStream() throws Exception {
        long started = System.nanoTime();
        Plan plan = Plan.of(Long.getLong("reliability.crash.seed", System.currentTimeMillis() % 100_000));
        System.out.println("CrashTest plan " + plan);
        Random random = new Random(plan.seed());
        LocalAws aws = local.get();
        aws.createBucket(BUCKET);
        Tables.createWithStream(aws.dynamoDb(), TABLE, StreamViewType.NEW_AND_OLD_IMAGES);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), TABLE);
        aws.exports().exportDelay(Duration.ofMillis(1500)).dataFilesPerExport(4);
        TableWriter writer = new TableWriter(aws.dynamoDbLocal().client(), TABLE, plan.seed(), plan.keys(),
                plan.writesPerSecond());
        writer.fill(plan.items());
        writer.start();

        Path checkpoints = dir.resolve("checkpoints.dat");
        Path sink = dir.resolve("sink.log");
        String uri = uri(aws);
        List<CrashAudit.Kill> kills = new ArrayList<>();
        int rolloverInSnapshot = 0;
        int rolloverInStream = 0;
        int run = 0;
        while (kills.size() < plan.kills()) {
            run++;
            boolean snapshotTurn = kills.size() < plan.snapshotKills();
            long sinkBefore = Files.exists(sink) ? Files.size(sink) : 0;
            long t0 = System.nanoTime();
            ConsumerProcess child = ConsumerProcess.start(run, uri, checkpoints, sink, dir);
            child.awaitStarted(Duration.ofSeconds(60));
            long t1 = System.nanoTime();
            if (!snapshotTurn) {
                awaitSnapshotDone(checkpoints, child, Duration.ofSeconds(60));
                sinkBefore = Files.size(sink);
            }
            if (run > 1) {
                awaitGrowth(sink, sinkBefore, child, Duration.ofSeconds(10));
            }
            long t2 = System.nanoTime();
            if (snapshotTurn && run > 1) {
                // by progress, not time: a load of a few thousand items is over in well under a second
                awaitLines(sink, DurableSink.read(sink).size() + 1 + random.nextInt(SNAPSHOT_KILL_LINES), child,
                        Duration.ofSeconds(10));
            } else {
                Thread.sleep(random.nextInt(snapshotTurn ? plan.maxSnapshotKillDelayMillis()
                        : plan.maxStreamKillDelayMillis()));
            }
            child.kill();
            CheckpointFile after = CheckpointFile.read(checkpoints);
            boolean inSnapshot = !"DONE".equals(after.snapshotStage());
            kills.add(new CrashAudit.Kill(run, DurableSink.read(sink).size(), after, inSnapshot));
            // the stream's shards roll over while the consumer is dead: once in the snapshot, twice in the stream
            boolean rollover = inSnapshot ? rolloverInSnapshot == 0 && run >= 3
                    : rolloverInStream < 2 && random.nextInt(4) == 0;
            if (rollover) {
                aws.dynamoDbLocal().triggerShardRollovers();
                if (inSnapshot) {
                    rolloverInSnapshot++;
                } else {
                    rolloverInStream++;
                }
            }
            System.out.printf(Locale.ROOT, "run %d killed %s (%s) after %d ms (route started %d ms, delivering %d ms),"
                    + " sink %d lines%s%n", run, inSnapshot ? "in the snapshot" : "in the stream",
                    after.snapshotStage(), (System.nanoTime() - t0) / 1_000_000, (t1 - t0) / 1_000_000,
                    (t2 - t0) / 1_000_000, kills.get(kills.size() - 1).sinkLines(),
                    rollover ? ", shards rolled over" : "");
        }
        if (rolloverInStream == 0) {
            aws.dynamoDbLocal().triggerShardRollovers();
            rolloverInStream++;
        }
        writer.stop();
        List<TableWriter.Write> writes = writer.written();

        run++;
        ConsumerProcess last = ConsumerProcess.start(run, uri, checkpoints, sink, dir);
        last.awaitStarted(Duration.ofSeconds(60));
        awaitCaughtUp(sink, writes, last, Duration.ofSeconds(90));
        Thread.sleep(300);
        last.stop();

        Map<String, String> export = exportContent(aws, CheckpointFile.read(checkpoints).exportArn());
        List<SinkLine> lines = DurableSink.read(sink);
        CrashAudit audit = new CrashAudit(lines);
        audit.everyWriteDelivered(writes);
        audit.everyExportItemDelivered(export);
        audit.perKeyOrderHeld();
        audit.onlyUnacknowledgedWorkAgain(kills);
        audit.noCheckpointAheadOfTheSink(kills, export);
        audit.sinkEqualsTable(scan(aws));

        long snapshotKills = kills.stream().filter(CrashAudit.Kill::inSnapshot).count();
        Set<String> streamDelivered = new HashSet<>();
        lines.stream().filter(l -> !l.isSnapshot()).forEach(l -> streamDelivered.add(l.position()));
        String figures = String.format(Locale.ROOT, "CRASH FIGURES seed=%d runs=%d kills=%d (snapshot %d, stream %d)"
                + " rollovers=%d (snapshot %d, stream %d) writes=%d exportItems=%d streamRecordsDelivered=%d"
                + " sinkLines=%d duplicates=%d (snapshot %d, stream %d, at most %d stream records after one kill) violations=%d"
                + " exports=%d seconds=%.1f", plan.seed(), run, kills.size(), snapshotKills,
                kills.size() - snapshotKills, rolloverInSnapshot + rolloverInStream, rolloverInSnapshot,
                rolloverInStream, writes.size(), export.size(), streamDelivered.size(), lines.size(),
                audit.duplicates(), audit.snapshotDuplicates(), audit.duplicates() - audit.snapshotDuplicates(),
                audit.maxStreamDuplicatesAfterOneKill(), audit.violations().size(), aws.exports().exportRequestCount(),
                (System.nanoTime() - started) / 1e9);
        System.out.println(figures);
        assertEquals(List.of(), audit.violations(), figures);
        assertTrue(snapshotKills >= 3, "at least three kills in the snapshot: " + figures);
        assertTrue(audit.maxStreamDuplicatesAfterOneKill() <= MAX_CONCURRENT_SHARDS, "only the record in flight on"
                + " each shard reader comes again after a kill: " + figures);
        assertTrue(kills.size() - snapshotKills >= 10, "at least ten kills in the stream: " + figures);
        assertEquals(1, aws.exports().exportRequestCount(), "one export for all the restarts");
    }

    static String uri(LocalAws aws) {
        return "dynamodb-cdc:" + TABLE + "?region=us-east-1&uriEndpointOverride=" + aws.dynamoDbEndpoint()
               + "&s3UriEndpointOverride=" + aws.s3Endpoint() + "&accessKey=" + LocalDynamoDb.ACCESS_KEY
               + "&secretKey=" + LocalDynamoDb.SECRET_KEY
               + "&idlePollDelay=50&pollDelay=0&shardDiscoveryInterval=500&exportPollInterval=100"
               + "&exportS3Bucket=" + BUCKET + "&maxConcurrentDataFiles=2&checkpointRepository=#checkpoints";
    }

    /** Waits until the sink grew past {@code size}: the run delivered something before it is killed. */
    static void awaitGrowth(Path sink, long size, ConsumerProcess child, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((Files.exists(sink) ? Files.size(sink) : 0) <= size && System.nanoTime() < deadline) {
            child.requireAlive();
            Thread.sleep(10);
        }
    }

    /** Waits until the sink holds at least {@code lines} lines. */
    static void awaitLines(Path sink, int lines, ConsumerProcess child, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (DurableSink.read(sink).size() < lines && System.nanoTime() < deadline) {
            child.requireAlive();
            Thread.sleep(2);
        }
    }

    /** Waits until the checkpoint says the snapshot is done (the run streams). */
    static void awaitSnapshotDone(Path checkpoints, ConsumerProcess child, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!"DONE".equals(CheckpointFile.read(checkpoints).snapshotStage())) {
            child.requireAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the snapshot was not done within " + timeout + ":\n" + child.logTail());
            }
            Thread.sleep(20);
        }
    }

    /** Waits until every write is in the sink as a stream record. */
    static void awaitCaughtUp(Path sink, List<TableWriter.Write> writes, ConsumerProcess child, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<String> delivered = new HashSet<>();
            DurableSink.read(sink).stream().filter(l -> !l.isSnapshot()).forEach(l -> delivered.add(l.write()));
            long missing = writes.stream().filter(w -> !delivered.contains(w.id())).count();
            if (missing == 0) {
                return;
            }
            child.requireAlive();
            if (System.nanoTime() > deadline) {
                System.out.println("not caught up, " + missing + " writes missing; child log:\n" + child.logTail());
                return;
            }
            Thread.sleep(200);
        }
    }

    /** The export's items by data file and line ({@code <key>#<line>} to {@code <pk>#<v>}), read from S3. */
    public static Map<String, String> exportContent(LocalAws aws, String exportArn) throws IOException {
        ExportDescription export = aws.dynamoDb().describeExport(b -> b.exportArn(exportArn)).exportDescription();
        ExportManifest manifest = ExportManifest.read(new SdkObjectStore(aws.s3()), export.s3Bucket(), export.exportManifest(), exportArn);
        ObjectMapper json = new ObjectMapper();
        Map<String, String> items = new HashMap<>();
        for (DataFile file : manifest.dataFiles()) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    aws.s3().getObject(b -> b.bucket(export.s3Bucket()).key(file.key()))), StandardCharsets.UTF_8))) {
                long line = 0;
                for (String text = in.readLine(); text != null; text = in.readLine()) {
                    JsonNode item = json.readTree(text).get("Item");
                    items.put(file.key() + "#" + ++line, item.get("pk").get("S").asText() + "#"
                                                          + item.get("v").get("N").asText());
                }
            }
        }
        return items;
    }

    static Map<String, String> scan(LocalAws aws) {
        return scan(aws, TABLE);
    }

    /** A table by a consistent Scan, each item as {@link CrashChild#canonical(Map)} makes it. */
    public static Map<String, String> scan(LocalAws aws, String table) {
        Map<String, String> items = new HashMap<>();
        aws.dynamoDb().scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
                .forEach(item -> items.put(item.get("pk").s(), CrashChild.canonical(AttributeValues.toJava(item))));
        return items;
    }
}
