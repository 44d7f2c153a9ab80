package dev.ddbcdc.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.DynamoDbCdcConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Scenario 1 in a JVM of its own with a capped heap: loads a smaller export {@value #WARM_UP_LOADS} times to warm up,
 * then the export measured once, either
 * through the dynamodb-cdc consumer into a route that only counts ({@code consumer}), or as the bare single-thread
 * gunzip and parse ({@code baseline}), or streaming the files through MD5 only ({@code md5}, the price of the
 * consumer's checksum). {@code --options} adds endpoint options to the consumer's (e.g. {@code batchSize=500}).
 * Prints items/s, heap peak and, with {@code --profile}, where the CPU time went.
 */
public final class SnapshotLoadChild {

    /**
     * Warm-up loads before the measured one. After one, the consumer's JVMs still compiled for 0.3 to 1.0 s of the
     * measured load (the consumer runs far more code than the bare read, and on two loader threads), which put 0.3 to
     * 0.9 us per item of compilation into its CPU figure at random; after three, compilation during the measured load
     * is a few hundred milliseconds in either reader.
     */
    static final int WARM_UP_LOADS = 3;

    /** Exchanges of the last load through the consumer (fewer than its items when they came in batches). */
    private static long exchanges;

    private SnapshotLoadChild() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Endpoints endpoints = new Endpoints(URI.create(args.get("ddb")), URI.create(args.get("s3")));
        String mode = args.get("mode");
        String table = args.get("table");
        String options = args.get("options", "");
        try (DynamoDbClient dynamoDb = endpoints.dynamoDbClient(); S3Client s3 = endpoints.s3Client()) {
            ExportFiles warmUp = ExportFiles.of(dynamoDb, s3, args.get("warmup"));
            ExportFiles measured = ExportFiles.of(dynamoDb, s3, args.get("export"));
            for (int load = 0; load < WARM_UP_LOADS; load++) {
                run(mode, endpoints, s3, table, args.get("warmup"), warmUp, options);
            }
            HeapWatch.usedAfterFullGc();
            Map<String, Object> result = new LinkedHashMap<>();
            JfrProfile profile = args.get("profile", "").isEmpty() ? null
                    : new JfrProfile(Path.of(args.get("profile")));
            double seconds;
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            try (HeapWatch heap = new HeapWatch()) {
                java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory
                        .getCompilationMXBean();
                long jitStart = jit.getTotalCompilationTime();
                long cpuStart = os.getProcessCpuTime();
                long start = System.nanoTime();
                long items = run(mode, endpoints, s3, table, args.get("export"), measured, options);
                seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
                long jitMillis = jit.getTotalCompilationTime() - jitStart;
                if (items != measured.itemCount()) {
                    throw new IllegalStateException(mode + " read " + items + " items, the export has "
                                                    + measured.itemCount());
                }
                result.put("items", items);
                result.put("exchanges", mode.equals("consumer") ? exchanges : items);
                result.put("seconds", seconds);
                result.put("itemsPerSecond", items / seconds);
                result.put("cpuMicrosPerItem", cpuSeconds * 1e6 / items);
                result.put("jitMillis", jitMillis);
                result.put("heapPeakMb", heap.peakUsedMb());
                result.put("heapAfterGcMaxMb", heap.maxLiveAfterGcMb());
                result.put("gcShare", heap.gcTimeShare());
            }
            if (profile != null) {
                List<String> lines = profile.stopAndSummarise(12);
                result.put("profile", lines);
            }
            ChildJvm.printResult(result);
        }
        System.exit(0);
    }

    /** One load of the export; returns the items delivered (bytes read for md5). */
    private static long run(String mode, Endpoints endpoints, S3Client s3, String table, String exportArn,
                            ExportFiles files, String options) throws Exception {
        switch (mode) {
            case "baseline":
                return BareExportRead.gunzipAndParse(s3, files);
            case "md5":
                BareExportRead.md5Only(s3, files);
                return files.itemCount();
            case "consumer":
                return throughConsumer(endpoints, table, exportArn, files.itemCount(), options);
            default:
                throw new IllegalArgumentException("mode is baseline, md5 or consumer, was " + mode);
        }
    }

    private static long throughConsumer(Endpoints endpoints, String table, String exportArn, long expected,
                                        String options) throws Exception {
        String uri = endpoints.cdcUri(table, "exportArn=" + exportArn + (options.isEmpty() ? "" : "&" + options));
        try (CountingRoute route = new CountingRoute(uri, expected, null).start()) {
            if (!route.await(30 * 60_000L)) {
                throw new IllegalStateException("The consumer delivered " + route.count() + " of " + expected);
            }
            DynamoDbCdcConsumer consumer = route.consumer(DynamoDbCdcConsumer.class);
            long acknowledged = consumer.getSnapshotMetrics().itemsAcknowledged.sum();
            if (acknowledged < expected - 1000) {
                throw new IllegalStateException("Only " + acknowledged + " of " + expected + " acknowledged");
            }
            exchanges = route.exchanges();
            return route.count();
        }
    }

    static Path profileFile(String name) throws java.io.IOException {
        return Files.createTempFile(name, ".jfr");
    }
}
