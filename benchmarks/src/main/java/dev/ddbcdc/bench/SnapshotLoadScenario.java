package dev.ddbcdc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.Tables;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Scenario 1, snapshot load: a synthetic export in S3 (the test kit writes it in the real layout), loaded by the
 * consumer into a route that only counts, against a bare single-thread gunzip and parse of the same files. Each run is
 * a fresh JVM with a 256 MB heap cap, warmed up by loads of a smaller export first; baseline and consumer alternate.
 */
final class SnapshotLoadScenario implements Scenario {

    static final String TABLE = "snapshot_bench";
    static final String BUCKET = "bench-exports";
    static final String HEAP_CAP = "-Xmx256m";
    /** The consumer with batches (issue 16): up to this many items of one data file per exchange. */
    static final int BATCH = 500;

    @Override
    public String id() {
        return "snapshot";
    }

    @Override
    public ScenarioResult run(LocalAws aws, Scale scale) throws Exception {
        aws.createBucket(BUCKET);
        Tables.createWithStream(aws.dynamoDb(), TABLE, StreamViewType.NEW_AND_OLD_IMAGES);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), TABLE);
        aws.exports().dataFilesPerExport(scale.snapshotDataFiles());
        long generating = System.nanoTime();
        String warmUp = aws.exports().completedExportOf(TABLE, BUCKET, "DYNAMODB_JSON",
                new SyntheticItems(scale.snapshotWarmUpItems(), 2));
        String export = aws.exports().completedExportOf(TABLE, BUCKET, "DYNAMODB_JSON",
                new SyntheticItems(scale.snapshotItems(), 1));
        double generated = (System.nanoTime() - generating) / 1e9;
        // ION against JSON on the same items as the main load: loads of 0.5 s (200,000 items, as this figure once
        // used) spread from 4.0 to 7.0 us of CPU per item between fresh JVMs, in either format, with JIT and GC
        int formatItems = scale.snapshotItems();
        // as large as the JSON warm-up: the two formats are compared after the same amount of compilation
        String ionWarmUp = aws.exports().completedExportOf(TABLE, BUCKET, "ION",
                new SyntheticItems(scale.snapshotWarmUpItems(), 4));
        String ionExport = aws.exports().completedExportOf(TABLE, BUCKET, "ION",
                new SyntheticItems(formatItems, 1));
        long compressed = compressedBytes(aws, export);
        Endpoints endpoints = Endpoints.of(aws);

        Samples baseline = new Samples();
        Samples ours = new Samples();
        Samples oursHeap = new Samples();
        Samples baselineHeap = new Samples();
        Samples oursAfterGc = new Samples();
        Samples gcShare = new Samples();
        Samples md5Seconds = new Samples();
        Samples oursSeconds = new Samples();
        Samples oursCpu = new Samples();
        Samples baselineCpu = new Samples();
        Samples oursJit = new Samples();
        Samples oneThreadCpu = new Samples();
        Samples baselineJit = new Samples();
        Samples oursIon = new Samples();
        Samples oursBatched = new Samples();
        Samples batchedExchanges = new Samples();
        for (int rep = 0; rep < scale.repetitions(); rep++) {
            oursIon.add(ChildJvm.number(child(endpoints, "consumer", ionWarmUp, ionExport, ""), "itemsPerSecond"));
            Map<String, Object> bare = child(endpoints, "baseline", warmUp, export, "");
            baseline.add(ChildJvm.number(bare, "itemsPerSecond"));
            baselineHeap.add(ChildJvm.number(bare, "heapPeakMb"));
            baselineCpu.add(ChildJvm.number(bare, "cpuMicrosPerItem"));
            baselineJit.add(ChildJvm.number(bare, "jitMillis"));
            Map<String, Object> cdc = child(endpoints, "consumer", warmUp, export, "");
            ours.add(ChildJvm.number(cdc, "itemsPerSecond"));
            oursSeconds.add(ChildJvm.number(cdc, "seconds"));
            oursCpu.add(ChildJvm.number(cdc, "cpuMicrosPerItem"));
            oursJit.add(ChildJvm.number(cdc, "jitMillis"));
            oursHeap.add(ChildJvm.number(cdc, "heapPeakMb"));
            oursAfterGc.add(ChildJvm.number(cdc, "heapAfterGcMaxMb"));
            gcShare.add(ChildJvm.number(cdc, "gcShare"));
            Map<String, Object> batched = child(endpoints, "consumer", warmUp, export, "", "batchSize=" + BATCH);
            oursBatched.add(ChildJvm.number(batched, "itemsPerSecond"));
            batchedExchanges.add(ChildJvm.number(batched, "exchanges"));
            md5Seconds.add(ChildJvm.number(child(endpoints, "md5", warmUp, export, ""), "seconds"));
            oneThreadCpu.add(ChildJvm.number(child(endpoints, "consumer", warmUp, export, "",
                    "maxConcurrentDataFiles=1"), "cpuMicrosPerItem"));
            System.err.printf(Locale.ROOT, "  snapshot run %d: baseline %.0f items/s, consumer %.0f items/s, with"
                    + " batchSize=%d %.0f items/s%n", rep + 1, baseline.values().get(rep), ours.values().get(rep), BATCH,
                    oursBatched.values().get(rep));
        }
        String name = "1. Snapshot load";
        ScenarioResult result = new ScenarioResult(name, String.format(Locale.ROOT,
                "%,d items (%s) in %d gzip data files, %.1f MB compressed, written into S3Mock by the test kit in %.0f s;"
                + " each run in a fresh JVM with %s, warmed up by %d loads of a %,d-item export first. Consumer: defaults"
                + " (maxConcurrentDataFiles=0: one data file per processor, %d here; in-memory checkpoints,"
                + " acknowledgments on), the route only counts;"
                + " and the same with batchSize=%d (a List of up to %d items of one data file per exchange).",
                scale.snapshotItems(), "every attribute type, about 300 bytes a line", scale.snapshotDataFiles(),
                compressed / 1e6, generated, HEAP_CAP, SnapshotLoadChild.WARM_UP_LOADS, scale.snapshotWarmUpItems(),
                Runtime.getRuntime().availableProcessors(), BATCH, BATCH));
        result.figure(new Figure(name, "items/s delivered", "items/s", ours, "bare 1-thread gunzip + parse",
                baseline, Target.ratioAtLeast(1.0), ""));
        result.figure(new Figure(name, "items/s, batches of " + BATCH, "items/s", oursBatched,
                "bare 1-thread gunzip + parse", baseline, Target.ratioAtLeast(1.5), "batchSize=" + BATCH));
        result.figure(new Figure(name, "heap peak (used, before GC)", "MB", oursHeap, "bare gunzip + parse",
                baselineHeap, Target.atMost(256, "MB"), "JVM capped at 256 MB"));
        result.figure(new Figure(name, "CPU per item (reader JVM)", "us", oursCpu, "bare 1-thread gunzip + parse",
                baselineCpu, Target.ratioAtMost(1.3), "S3Mock's serving is in another JVM, not counted"));
        result.figure(new Figure(name, "items/s, ION export", "items/s", oursIon, "same consumer, DYNAMODB_JSON",
                ours, Target.ratioAtLeast(0.9), String.format(Locale.ROOT, "the same %,d items in each format, each"
                                                                  + " load after a warm-up in its own format",
                formatItems)));
        result.note(String.format(Locale.ROOT, "Consumer heap just after collections, at most %s MB (an upper bound of"
                + " the live set); GC took %s of the wall time.", Format.samples(oursAfterGc),
                Format.percent(gcShare.median())));
        result.note(String.format(Locale.ROOT, "JIT compilation during the measured load (the JVM's total compilation"
                + " time, on its compiler threads; in the CPU figures): consumer %s ms, baseline %s ms.",
                Format.samples(oursJit), Format.samples(baselineJit)));
        result.note(String.format(Locale.ROOT, "CPU per item of the consumer with maxConcurrentDataFiles=1 (one loader"
                + " thread, as the baseline has): %s us, %.2fx the baseline's; %.2fx with the default, one loader per"
                + " processor (the loaders and S3Mock's serving share %d cores).", Format.samples(oneThreadCpu),
                oneThreadCpu.median() / baselineCpu.median(), oursCpu.median() / baselineCpu.median(),
                Runtime.getRuntime().availableProcessors()));
        result.note(String.format(Locale.ROOT, "Exchanges per load with batchSize=%d: %s for %,d items%s.", BATCH,
                Format.samples(batchedExchanges), scale.snapshotItems(),
                batchedExchanges.max() >= scale.snapshotItems() ? " (one per item: the items were not batched)" : ""));
        result.note(String.format(Locale.ROOT, "Price of the MD5 check the baseline does not do (the consumer computes it"
                + " in the same pass as the parsing, one read per file): streaming every file through MD5 alone takes"
                + " %s s, %s of the consumer's load time (%s s).", Format.samples(md5Seconds),
                Format.percent(md5Seconds.median() / oursSeconds.median()), Format.number(oursSeconds.median())));
        long[] jsonBytes = dataFileBytes(aws, export);
        long[] ionBytes = dataFileBytes(aws, ionExport);
        result.note(String.format(Locale.ROOT, "Data files of the same %,d items in each format, bytes per item:"
                + " DYNAMODB_JSON %.1f gzip-compressed, %.1f uncompressed; ION %.1f gzip-compressed (%.2fx JSON's),"
                + " %.1f uncompressed (%.2fx JSON's).", formatItems, jsonBytes[0] / (double) formatItems,
                jsonBytes[1] / (double) formatItems, ionBytes[0] / (double) formatItems,
                ionBytes[0] / (double) jsonBytes[0], ionBytes[1] / (double) formatItems,
                ionBytes[1] / (double) jsonBytes[1]));
        result.note("Profile of one consumer load of the ION export (where parsing Ion costs):");
        result.notes.addAll(profile(endpoints, "consumer", ionWarmUp, ionExport));
        if (result.anyMissed()) {
            result.note("Profile of one consumer load (fresh JVM, same settings):");
            result.notes.addAll(profile(endpoints, "consumer", warmUp, export));
            result.note("Profile of one baseline load, for comparison:");
            result.notes.addAll(profile(endpoints, "baseline", warmUp, export));
        }
        return result;
    }

    private static List<String> profile(Endpoints endpoints, String mode, String warmUp, String export)
            throws java.io.IOException {
        Map<String, Object> profiled = child(endpoints, mode, warmUp, export,
                SnapshotLoadChild.profileFile("snapshot-" + mode).toString());
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "(this profiled run: %.0f items/s)",
                ChildJvm.number(profiled, "itemsPerSecond")));
        for (Object line : (List<?>) profiled.get("profile")) {
            lines.add(String.valueOf(line));
        }
        return lines;
    }

    private static Map<String, Object> child(Endpoints endpoints, String mode, String warmUp, String export,
                                             String profile) {
        return child(endpoints, mode, warmUp, export, profile, "");
    }

    /** One load in a fresh JVM; {@code options} are added to the consumer's endpoint options (may be empty). */
    private static Map<String, Object> child(Endpoints endpoints, String mode, String warmUp, String export,
                                             String profile, String options) {
        return ChildJvm.run(SnapshotLoadChild.class, List.of(HEAP_CAP),
                List.of(Args.of("mode", mode), Args.of("ddb", endpoints.dynamoDb()), Args.of("s3", endpoints.s3()),
                        Args.of("table", TABLE), Args.of("warmup", warmUp), Args.of("export", export),
                        Args.of("profile", profile), Args.of("options", options)),
                3600);
    }

    /** The bytes of an export's data files: {compressed, uncompressed}. */
    static long[] dataFileBytes(LocalAws aws, String exportArn) throws java.io.IOException {
        String id = exportArn.substring(exportArn.lastIndexOf('/') + 1);
        long compressed = 0;
        long uncompressed = 0;
        for (S3Object object : aws.s3().listObjectsV2Paginator(b -> b.bucket(BUCKET)
                .prefix("AWSDynamoDB/" + id + "/data/")).contents()) {
            compressed += object.size();
            try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
                    aws.s3().getObject(b -> b.bucket(BUCKET).key(object.key())), 1 << 16)) {
                uncompressed += in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
        return new long[] {compressed, uncompressed};
    }

    private static long compressedBytes(LocalAws aws, String exportArn) {
        String id = exportArn.substring(exportArn.lastIndexOf('/') + 1);
        return aws.s3().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("AWSDynamoDB/" + id + "/data/"))
                .contents().stream().mapToLong(S3Object::size).sum();
    }
}
